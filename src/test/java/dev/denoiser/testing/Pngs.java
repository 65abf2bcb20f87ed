package dev.denoiser.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * PNG files built by hand, byte by byte: headers that declare any size, and decompression bombs.
 */
public final class Pngs {
  private Pngs() {}

  /**
   * A PNG declaring {@code width x height}; with {@code pixels} its IDAT holds every row (zeros,
   * deflated: a 4096 x 4096 16-bit RGBA image is about 130 KB), otherwise it is empty.
   */
  public static byte[] declaring(int width, int height, int depth, int colour, boolean pixels) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
      ByteBuffer ihdr =
          ByteBuffer.allocate(13)
              .putInt(width)
              .putInt(height)
              .put((byte) depth)
              .put((byte) colour)
              .put((byte) 0)
              .put((byte) 0)
              .put((byte) 0);
      chunk(out, "IHDR", ihdr.array());
      long w = Integer.toUnsignedLong(width);
      long h = Integer.toUnsignedLong(height);
      int samples =
          switch (colour) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
          };
      ByteArrayOutputStream z = new ByteArrayOutputStream();
      if (pixels && w <= 1 << 16 && h <= 1 << 16) {
        byte[] row = new byte[(int) (1 + w * samples * depth / 8)];
        try (DeflaterOutputStream d = new DeflaterOutputStream(z, new Deflater(9))) {
          for (long y = 0; y < h; y++) {
            d.write(row);
          }
        }
      }
      chunk(out, "IDAT", z.toByteArray());
      chunk(out, "IEND", new byte[0]);
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data)
      throws java.io.IOException {
    out.write(ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
