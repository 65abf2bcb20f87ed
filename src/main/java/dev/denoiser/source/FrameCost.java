package dev.denoiser.source;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.frame.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * What a frame will cost in memory, known before it is decoded: the encoded bytes, the decoder's
 * raster, the float32 input planes and the float32 output planes. The size comes from what the
 * frame declares (the PNG header, the JPEG header, or {@code width}/{@code height} of a raw format)
 * and is checked against {@code frame.maxPixels} first, so an oversized declaration is refused
 * (PAYLOAD_TOO_LARGE) before anything is allocated. Arithmetic is in {@code long}.
 */
public final class FrameCost {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private FrameCost() {}

  /**
   * Bytes in memory for a frame of {@code height x width} with {@code channels} float planes,
   * decoded from {@code encoded} bytes through a raster of {@code rasterBytesPerPixel}.
   */
  public static long of(
      long encoded, long height, long width, int channels, int rasterBytesPerPixel) {
    long pixels = height * width;
    return encoded + pixels * rasterBytesPerPixel + 2L * pixels * channels * Float.BYTES;
  }

  /**
   * The cost of decoding {@code bytes} as {@code type} (raw formats need {@code width} and {@code
   * height}); the declared size is checked against the codec's limit first.
   *
   * @throws DenoiserException PAYLOAD_TOO_LARGE or INVALID_FRAME for a size that cannot be right
   */
  public static long estimate(
      FrameCodec codec, MediaType type, byte[] bytes, Integer width, Integer height) {
    return switch (type) {
      case GRAY8 -> raw(codec, bytes, width, height, 1, 1);
      case RGB8 -> raw(codec, bytes, width, height, 3, 3);
      case FLOAT32 ->
          raw(codec, bytes, width, height, bytes.length > 4L * dims(width, height) ? 3 : 1, 0);
      case PNG -> png(codec, bytes);
      case JPEG -> jpeg(codec, bytes);
    };
  }

  private static long dims(Integer width, Integer height) {
    return width == null || height == null ? 0 : (long) width * height;
  }

  private static long raw(
      FrameCodec codec, byte[] bytes, Integer width, Integer height, int channels, int raster) {
    if (width == null || height == null) {
      return bytes.length; // the decoder refuses it; nothing more gets allocated
    }
    codec.checkSize(height, width);
    return of(bytes.length, height, width, channels, raster);
  }

  private static long png(FrameCodec codec, byte[] b) {
    if (b.length < 26 || !startsWith(b, PNG_MAGIC)) {
      return b.length; // the decoder refuses it at its signature
    }
    long w = u32(b, 16);
    long h = u32(b, 20);
    codec.checkSize(h, w);
    int depth = b[24] & 0xff;
    int colour = b[25] & 0xff;
    int samples =
        switch (colour) {
          case 0 -> 1;
          case 2 -> 3;
          case 3 -> 1;
          case 4 -> 2;
          case 6 -> 4;
          default -> 4;
        };
    int channels = colour == 0 || colour == 4 ? 1 : 3;
    int raster = Math.max(1, samples * Math.max(8, depth) / 8);
    // a palette or 16-bit image is converted once more on its way to floats
    int conversion = colour == 3 || depth == 16 ? 4 : 0;
    return of(b.length, h, w, channels, raster + conversion);
  }

  private static long jpeg(FrameCodec codec, byte[] b) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(b))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
      if (in == null || !readers.hasNext()) {
        return b.length;
      }
      ImageReader r = readers.next();
      try {
        r.setInput(in, true, true);
        long h = r.getHeight(0);
        long w = r.getWidth(0);
        codec.checkSize(h, w);
        return of(b.length, h, w, 3, 4);
      } finally {
        r.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof DenoiserException d) {
        throw d;
      }
      return b.length; // the decoder refuses it with its own message
    }
  }

  private static long u32(byte[] b, int at) {
    return ((long) (b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (b[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
