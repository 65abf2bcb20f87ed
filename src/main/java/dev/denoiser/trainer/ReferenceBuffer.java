package dev.denoiser.trainer;

import dev.denoiser.data.ImageSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A bounded, persisted ring of clean 28x28 reference frames (8-bit gray), the trainer's own data
 * besides MNIST. One file: a 32-byte header (magic {@code DNRF}, layout 1, height, width, capacity
 * as big-endian u32, then the total number of frames ever added as u64) and {@code capacity} frame
 * slots. Frame number {@code s} (0, 1, 2, ... in arrival order) lives in slot {@code s % capacity},
 * so the file holds the newest {@code min(total, capacity)} frames. A frame is written before the
 * header counts it, so a crash loses at most the frame being written.
 *
 * <p>Frame {@code s} is held out for the validation gate when {@code s % holdoutEvery == 0}: the
 * same frames are held out on every run and after a restart, and are never trained on.
 */
public final class ReferenceBuffer implements AutoCloseable {
  public static final int SIZE = 28;
  static final int PIXELS = SIZE * SIZE;
  private static final int MAGIC = 0x444E5246; // "DNRF"
  private static final int HEADER = 32;
  private final FileChannel ch;
  private final int capacity;
  private long total;

  /** Two sets of frames: what a run trains on and what the gate holds out. */
  public record Split(ImageSet train, ImageSet holdout) {}

  private ReferenceBuffer(FileChannel ch, int capacity, long total) {
    this.ch = ch;
    this.capacity = capacity;
    this.total = total;
  }

  /**
   * Opens {@code file}, creating it when missing. A file made with another capacity keeps its
   * newest frames (as many as fit).
   */
  public static ReferenceBuffer open(Path file, int capacity) throws IOException {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "reference buffer capacity must be 1 or more, got " + capacity);
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[][] carried = Files.exists(file) ? readOld(file, capacity) : null;
    if (carried == null && Files.exists(file)) {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      ByteBuffer h = read(ch, 0, HEADER);
      return new ReferenceBuffer(ch, capacity, h.getLong(20));
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    ReferenceBuffer b = new ReferenceBuffer(ch, capacity, 0);
    b.writeHeader();
    if (carried != null) {
      for (byte[] f : carried) {
        b.add(f);
      }
    }
    ch.force(true);
    ch.close();
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return open(file, capacity);
  }

  /**
   * The frames of an existing file if it must be rebuilt (other capacity, bad header), else null.
   */
  private static byte[][] readOld(Path file, int capacity) throws IOException {
    try (ReferenceBuffer old = openRaw(file)) {
      if (old == null) {
        return new byte[0][];
      }
      if (old.capacity == capacity) {
        return null;
      }
      int keep = (int) Math.min(old.count(), capacity);
      byte[][] out = new byte[keep][];
      for (int i = 0; i < keep; i++) {
        out[i] = old.frame(old.total - keep + i);
      }
      return out;
    }
  }

  private static ReferenceBuffer openRaw(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    if (ch.size() < HEADER) {
      ch.close();
      return null;
    }
    ByteBuffer h = read(ch, 0, HEADER);
    int cap = h.getInt(16);
    long total = h.getLong(20);
    if (h.getInt(0) != MAGIC
        || h.getInt(4) != 1
        || h.getInt(8) != SIZE
        || h.getInt(12) != SIZE
        || cap < 1
        || total < 0
        || ch.size() < HEADER + (long) Math.min(total, cap) * PIXELS) {
      ch.close();
      return null;
    }
    return new ReferenceBuffer(ch, cap, total);
  }

  /** Adds one frame of 784 gray bytes (row-major), overwriting the oldest when full. */
  public synchronized void add(byte[] gray8) throws IOException {
    if (gray8.length != PIXELS) {
      throw new IllegalArgumentException(
          "reference frames are " + SIZE + "x" + SIZE + ", got " + gray8.length + " bytes");
    }
    ch.write(ByteBuffer.wrap(gray8), HEADER + (total % capacity) * PIXELS);
    total++;
    writeHeader();
  }

  /** Forces what was added to the disk. */
  public synchronized void flush() throws IOException {
    ch.force(false);
  }

  public synchronized int count() {
    return (int) Math.min(total, capacity);
  }

  public synchronized long total() {
    return total;
  }

  public int capacity() {
    return capacity;
  }

  /**
   * The frames held now, split into training frames and the holdout (every Nth; 0 = none held out).
   */
  public synchronized Split split(int holdoutEvery) throws IOException {
    int n = count();
    int held = 0;
    for (long s = total - n; s < total; s++) {
      held += holdoutEvery > 0 && s % holdoutEvery == 0 ? 1 : 0;
    }
    byte[] train = new byte[(n - held) * PIXELS];
    byte[] hold = new byte[held * PIXELS];
    int ti = 0;
    int hi = 0;
    for (long s = total - n; s < total; s++) {
      byte[] f = frame(s);
      if (holdoutEvery > 0 && s % holdoutEvery == 0) {
        System.arraycopy(f, 0, hold, hi++ * PIXELS, PIXELS);
      } else {
        System.arraycopy(f, 0, train, ti++ * PIXELS, PIXELS);
      }
    }
    return new Split(
        new ImageSet(n - held, SIZE, SIZE, train, null),
        new ImageSet(held, SIZE, SIZE, hold, null));
  }

  private byte[] frame(long s) throws IOException {
    return read(ch, HEADER + (s % capacity) * PIXELS, PIXELS).array();
  }

  private void writeHeader() throws IOException {
    ByteBuffer h = ByteBuffer.allocate(HEADER);
    h.putInt(MAGIC)
        .putInt(1)
        .putInt(SIZE)
        .putInt(SIZE)
        .putInt(capacity)
        .putLong(total)
        .putInt(0)
        .flip();
    ch.write(h, 0);
  }

  private static ByteBuffer read(FileChannel ch, long pos, int len) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(len);
    while (b.hasRemaining()) {
      if (ch.read(b, pos + b.position()) < 0) {
        throw new IOException("reference buffer file is truncated");
      }
    }
    return b.flip();
  }

  @Override
  public synchronized void close() throws IOException {
    ch.close();
  }
}
