package dev.denoiser.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/**
 * The first 500 digits of the MNIST test set, shipped in the jar ({@code /mnist/test-sample.bin.gz})
 * so the demo feed and the web page work without the dataset. Format: {@code DIGITS01}, then count,
 * height, width as big-endian int32, then the labels (one byte each), then the pixels (8-bit gray,
 * row-major, image after image).
 */
public final class SampleDigits {
  private static final String RESOURCE = "/mnist/test-sample.bin.gz";
  private static volatile SampleDigits instance;
  private final int height;
  private final int width;
  private final byte[] labels;
  private final byte[] pixels;

  private SampleDigits(int height, int width, byte[] labels, byte[] pixels) {
    this.height = height;
    this.width = width;
    this.labels = labels;
    this.pixels = pixels;
  }

  /** The shipped sample (read once). */
  public static SampleDigits load() {
    SampleDigits s = instance;
    if (s == null) {
      synchronized (SampleDigits.class) {
        if (instance == null) {
          instance = read();
        }
        s = instance;
      }
    }
    return s;
  }

  private static SampleDigits read() {
    try (InputStream raw = SampleDigits.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
      }
      DataInputStream in = new DataInputStream(new GZIPInputStream(raw));
      byte[] magic = new byte[8];
      in.readFully(magic);
      if (!"DIGITS01".equals(new String(magic, java.nio.charset.StandardCharsets.US_ASCII))) {
        throw new IllegalStateException("resource " + RESOURCE + " is corrupt (bad magic)");
      }
      int n = in.readInt();
      int h = in.readInt();
      int w = in.readInt();
      byte[] labels = new byte[n];
      in.readFully(labels);
      byte[] pixels = new byte[n * h * w];
      in.readFully(pixels);
      return new SampleDigits(h, w, labels, pixels);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  public int size() {
    return labels.length;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int label(int i) {
    return labels[i];
  }

  /** Digit {@code i} as float pixels in [0,1] (a fresh array). */
  public float[] image(int i) {
    int hw = height * width;
    float[] px = new float[hw];
    for (int p = 0; p < hw; p++) {
      px[p] = (pixels[i * hw + p] & 0xff) / 255f;
    }
    return px;
  }

  /** Digit {@code i} as 8-bit gray bytes (a fresh array). */
  public byte[] gray8(int i) {
    int hw = height * width;
    byte[] out = new byte[hw];
    System.arraycopy(pixels, i * hw, out, 0, hw);
    return out;
  }
}
