package dev.denoiser.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads and writes IDX files (the MNIST format), raw or gzip-compressed (detected from the first
 * two bytes). Only unsigned-byte payloads are supported: magic {@code 0x00000801} for labels (one
 * dimension) and {@code 0x00000803} for images (count, rows, columns).
 */
public final class Idx {
  public static final int LABELS_MAGIC = 0x00000801;
  public static final int IMAGES_MAGIC = 0x00000803;

  /** An IDX payload: its dimensions (the first is the item count) and the bytes. */
  public record Data(int[] dims, byte[] bytes) {
    public int count() {
      return dims[0];
    }
  }

  private Idx() {}

  /** Reads a file, checking magic number, dimensions and length. */
  public static Data read(Path file, int expectedMagic) {
    if (!Files.isRegularFile(file)) {
      throw new DataException("missing " + file + "; run: " + Mnist.FETCH_HINT);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, expectedMagic, file.toString());
    } catch (IOException e) {
      throw new DataException(
          "cannot read " + file + " (" + e.getMessage() + "); run: " + Mnist.FETCH_HINT, e);
    }
  }

  /** Reads from a stream; {@code what} names the source in error messages. */
  public static Data read(InputStream raw, int expectedMagic, String what) throws IOException {
    BufferedInputStream buf = new BufferedInputStream(raw);
    buf.mark(2);
    int b0 = buf.read();
    int b1 = buf.read();
    buf.reset();
    InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buf) : buf;
    DataInputStream data = new DataInputStream(in);
    try {
      int magic = data.readInt();
      if (magic != expectedMagic) {
        throw corrupt(
            what, String.format("magic number 0x%08x, expected 0x%08x", magic, expectedMagic));
      }
      int rank = magic & 0xff;
      int[] dims = new int[rank];
      long total = 1;
      for (int i = 0; i < rank; i++) {
        dims[i] = data.readInt();
        if (dims[i] <= 0) {
          throw corrupt(what, "dimension " + i + " is " + dims[i]);
        }
        total *= dims[i];
      }
      if (total > Integer.MAX_VALUE - 16) {
        throw corrupt(what, "payload of " + total + " bytes is too large");
      }
      byte[] bytes = new byte[(int) total];
      data.readFully(bytes);
      if (data.read() != -1) {
        throw corrupt(what, "trailing bytes after " + total + " items");
      }
      return new Data(dims, bytes);
    } catch (EOFException e) {
      throw corrupt(what, "file is truncated");
    } catch (java.util.zip.ZipException e) {
      throw corrupt(what, "bad gzip data: " + e.getMessage());
    }
  }

  private static DataException corrupt(String what, String why) {
    return new DataException(
        "corrupt IDX file " + what + ": " + why + "; run: " + Mnist.FETCH_HINT);
  }

  /** Writes an IDX file of unsigned bytes, gzip-compressed when {@code gzip} is set. */
  public static void write(Path file, int magic, int[] dims, byte[] bytes, boolean gzip)
      throws IOException {
    Files.write(file, encode(magic, dims, bytes, gzip));
  }

  /** The bytes of an IDX file. */
  public static byte[] encode(int magic, int[] dims, byte[] bytes, boolean gzip)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream os = gzip ? new GZIPOutputStream(out) : out;
        DataOutputStream data = new DataOutputStream(os)) {
      data.writeInt(magic);
      for (int d : dims) {
        data.writeInt(d);
      }
      data.write(bytes);
    }
    return out.toByteArray();
  }
}
