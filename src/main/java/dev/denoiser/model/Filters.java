package dev.denoiser.model;

/**
 * The classical baselines the autoencoders are measured against: a 3x3 median filter and a Gaussian
 * blur, on stacks of single-channel h x w images in [0,1], borders replicated.
 */
public final class Filters {
  private Filters() {}

  /** 3x3 median of every pixel. */
  public static float[] median3(float[] src, int n, int h, int w) {
    float[] out = new float[src.length];
    float[] win = new float[9];
    for (int i = 0; i < n; i++) {
      int base = i * h * w;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int k = 0;
          for (int dy = -1; dy <= 1; dy++) {
            int yy = clamp(y + dy, h);
            for (int dx = -1; dx <= 1; dx++) {
              win[k++] = src[base + yy * w + clamp(x + dx, w)];
            }
          }
          java.util.Arrays.sort(win);
          out[base + y * w + x] = win[4];
        }
      }
    }
    return out;
  }

  /** Separable Gaussian blur with standard deviation {@code sigma} pixels (radius 3 sigma). */
  public static float[] gaussianBlur(float[] src, int n, int h, int w, double sigma) {
    int r = Math.max(1, (int) Math.ceil(3 * sigma));
    double[] k = Metrics.gaussian1d(r, sigma);
    float[] tmp = new float[src.length];
    float[] out = new float[src.length];
    for (int i = 0; i < n; i++) {
      int base = i * h * w;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double s = 0;
          for (int d = -r; d <= r; d++) {
            s += k[d + r] * src[base + y * w + clamp(x + d, w)];
          }
          tmp[base + y * w + x] = (float) s;
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double s = 0;
          for (int d = -r; d <= r; d++) {
            s += k[d + r] * tmp[base + clamp(y + d, h) * w + x];
          }
          out[base + y * w + x] = (float) s;
        }
      }
    }
    return out;
  }

  private static int clamp(int v, int n) {
    return v < 0 ? 0 : v >= n ? n - 1 : v;
  }
}
