package dev.denoiser.model.eval;

/**
 * An image for evaluation: {@code channels} planes of {@code height x width} float values on the
 * 0-255 scale, stored plane after plane (C, H, W), row-major inside a plane.
 */
public record Image(int width, int height, int channels, float[] data) {

  public Image {
    if (width <= 0 || height <= 0 || channels <= 0) {
      throw new IllegalArgumentException("bad image size " + channels + "x" + height + "x" + width);
    }
    if (data.length != (long) width * height * channels) {
      throw new IllegalArgumentException(
          "image of "
              + channels
              + "x"
              + height
              + "x"
              + width
              + " needs "
              + (long) width * height * channels
              + " values, got "
              + data.length);
    }
  }

  /** A zero image of the given size. */
  public static Image blank(int width, int height, int channels) {
    return new Image(width, height, channels, new float[width * height * channels]);
  }

  /** Pixels per plane. */
  public int plane() {
    return width * height;
  }

  /** One channel as a single-channel image (a copy). */
  public Image channel(int c) {
    float[] out = new float[plane()];
    System.arraycopy(data, c * plane(), out, 0, plane());
    return new Image(width, height, 1, out);
  }

  /** Applies {@code f} to each channel on its own and stacks the results. */
  public Image perChannel(java.util.function.UnaryOperator<Image> f) {
    if (channels == 1) {
      return f.apply(this);
    }
    float[] out = new float[data.length];
    for (int c = 0; c < channels; c++) {
      Image r = f.apply(channel(c));
      System.arraycopy(r.data(), 0, out, c * plane(), plane());
    }
    return new Image(width, height, channels, out);
  }

  /** A rectangle of this image (a copy). */
  public Image crop(int x, int y, int w, int h) {
    if (x < 0 || y < 0 || x + w > width || y + h > height) {
      throw new IllegalArgumentException(
          "crop " + w + "x" + h + "+" + x + "+" + y + " outside " + width + "x" + height);
    }
    float[] out = new float[w * h * channels];
    for (int c = 0; c < channels; c++) {
      for (int r = 0; r < h; r++) {
        System.arraycopy(data, c * plane() + (y + r) * width + x, out, c * w * h + r * w, w);
      }
    }
    return new Image(w, h, channels, out);
  }

  /** Values clipped to [0, 255] (a copy). */
  public Image clipped() {
    float[] out = data.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.min(255f, Math.max(0f, out[i]));
    }
    return new Image(width, height, channels, out);
  }
}
