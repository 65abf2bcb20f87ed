package dev.denoiser.model.eval;

import dev.denoiser.frame.Mirror;

/**
 * Reflection padding ({@link Mirror}: the mirror excludes the edge pixel) and the matching crop,
 * for filters near the border and for models that need sizes that are multiples of a number.
 */
public final class Reflect {
  private Reflect() {}

  /** Smallest multiple of {@code m} that is at least {@code n}. */
  public static int roundUp(int n, int m) {
    return (n + m - 1) / m * m;
  }

  /** Pads on the bottom and right by reflection to {@code width x height}. */
  public static Image pad(Image img, int width, int height) {
    if (width == img.width() && height == img.height()) {
      return img;
    }
    if (width < img.width() || height < img.height()) {
      throw new IllegalArgumentException(
          "cannot pad " + img.width() + "x" + img.height() + " down to " + width + "x" + height);
    }
    float[] out = new float[width * height * img.channels()];
    int w0 = img.width();
    int h0 = img.height();
    float[] src = img.data();
    for (int c = 0; c < img.channels(); c++) {
      int si = c * img.plane();
      int so = c * width * height;
      for (int y = 0; y < height; y++) {
        int row = si + Mirror.index(y, h0) * w0;
        int o = so + y * width;
        System.arraycopy(src, row, out, o, w0);
        for (int x = w0; x < width; x++) {
          out[o + x] = src[row + Mirror.index(x, w0)];
        }
      }
    }
    return new Image(width, height, img.channels(), out);
  }

  /** Pads on the bottom and right so that both sides are multiples of {@code multiple}. */
  public static Image padToMultiple(Image img, int multiple) {
    return pad(img, roundUp(img.width(), multiple), roundUp(img.height(), multiple));
  }
}
