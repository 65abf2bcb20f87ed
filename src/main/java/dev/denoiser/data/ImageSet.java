package dev.denoiser.data;

import java.util.Arrays;

/**
 * Images of one size with their labels, as unsigned bytes (0 = black, 255 = white): gray like the
 * IDX files, or with {@code channels} planes per image (RGB: the R plane, then G, then B, as in an
 * NCHW tensor). Pixels come out as float32 in [0,1], row-major; nothing is copied until asked for.
 */
public record ImageSet(
    int count, int height, int width, byte[] pixels, byte[] labels, int channels) {
  public ImageSet {
    if (channels < 1 || (long) count * channels * height * width != pixels.length) {
      throw new DataException(
          "image set of "
              + count
              + " x "
              + channels
              + "x"
              + height
              + "x"
              + width
              + " does not match "
              + pixels.length
              + " pixel bytes");
    }
    if (labels != null && labels.length != count) {
      throw new DataException(count + " images but " + labels.length + " labels");
    }
  }

  /** A gray (one-channel) set. */
  public ImageSet(int count, int height, int width, byte[] pixels, byte[] labels) {
    this(count, height, width, pixels, labels, 1);
  }

  /** Values per image: channels x height x width. */
  public int pixelsPerImage() {
    return channels * height * width;
  }

  /** Image {@code i} as float32 in [0,1]. */
  public float[] image(int i) {
    float[] out = new float[pixelsPerImage()];
    copyInto(i, out, 0);
    return out;
  }

  /** Writes image {@code i} into {@code dst} starting at {@code offset}. */
  public void copyInto(int i, float[] dst, int offset) {
    int n = pixelsPerImage();
    int base = i * n;
    for (int p = 0; p < n; p++) {
      dst[offset + p] = (pixels[base + p] & 0xff) / 255f;
    }
  }

  /** Images {@code from} (inclusive) to {@code to} (exclusive) as one float32 array. */
  public float[] floats(int from, int to) {
    float[] out = new float[(to - from) * pixelsPerImage()];
    for (int i = from; i < to; i++) {
      copyInto(i, out, (i - from) * pixelsPerImage());
    }
    return out;
  }

  /** Image {@code i} as 8-bit gray bytes, row-major (a fresh array). */
  public byte[] gray8(int i) {
    int n = pixelsPerImage();
    byte[] out = new byte[n];
    System.arraycopy(pixels, i * n, out, 0, n);
    return out;
  }

  public int label(int i) {
    return labels == null ? -1 : labels[i] & 0xff;
  }

  /** The first {@code n} images (all of them when there are fewer). */
  public ImageSet head(int n) {
    int k = Math.min(n, count);
    byte[] lab = labels == null ? null : Arrays.copyOf(labels, k);
    return new ImageSet(
        k, height, width, Arrays.copyOf(pixels, k * pixelsPerImage()), lab, channels);
  }

  /** Images {@code from} (inclusive) to {@code to} (exclusive). */
  public ImageSet slice(int from, int to) {
    byte[] lab = labels == null ? null : Arrays.copyOfRange(labels, from, to);
    int n = pixelsPerImage();
    return new ImageSet(
        to - from, height, width, Arrays.copyOfRange(pixels, from * n, to * n), lab, channels);
  }

  /** Builds a set from IDX image and (optional) label payloads, checking that they agree. */
  public static ImageSet of(Idx.Data images, Idx.Data labels, String what) {
    if (images.dims().length != 3) {
      throw new DataException("corrupt image file " + what + ": expected 3 dimensions");
    }
    if (labels != null && labels.count() != images.count()) {
      throw new DataException(
          "corrupt MNIST files "
              + what
              + ": "
              + images.count()
              + " images but "
              + labels.count()
              + " labels; run: "
              + Mnist.FETCH_HINT);
    }
    int[] d = images.dims();
    return new ImageSet(d[0], d[1], d[2], images.bytes(), labels == null ? null : labels.bytes());
  }
}
