package dev.denoiser.model.eval;

import dev.denoiser.frame.Mirror;
import java.util.Locale;

/**
 * Separable Gaussian blur with standard deviation {@code s} pixels, kernel radius ceil(3s),
 * reflected at the borders; colour images are blurred per channel.
 */
public final class GaussianBlur implements Denoiser {
  private final double s;
  private final float[] kernel;

  public GaussianBlur(double s) {
    if (!(s > 0)) {
      throw new IllegalArgumentException("blur sigma must be positive, got " + s);
    }
    this.s = s;
    int r = (int) Math.ceil(3 * s);
    kernel = new float[2 * r + 1];
    double sum = 0;
    for (int i = -r; i <= r; i++) {
      double v = Math.exp(-i * i / (2 * s * s));
      kernel[i + r] = (float) v;
      sum += v;
    }
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] /= (float) sum;
    }
  }

  @Override
  public String name() {
    return String.format(Locale.ROOT, "Gaussian blur s=%.2f", s);
  }

  @Override
  public Image denoise(Image noisy) {
    return noisy.perChannel(this::blur);
  }

  private Image blur(Image img) {
    int w = img.width();
    int h = img.height();
    int r = kernel.length / 2;
    float[] src = img.data();
    float[] tmp = new float[src.length];
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        float acc = 0;
        for (int k = -r; k <= r; k++) {
          acc += kernel[k + r] * src[row + Mirror.index(x + k, w)];
        }
        tmp[row + x] = acc;
      }
    }
    float[] out = new float[src.length];
    for (int y = 0; y < h; y++) {
      for (int k = -r; k <= r; k++) {
        int from = Mirror.index(y + k, h) * w;
        float kv = kernel[k + r];
        int to = y * w;
        for (int x = 0; x < w; x++) {
          out[to + x] += kv * tmp[from + x];
        }
      }
    }
    return new Image(w, h, 1, out);
  }
}
