package dev.denoiser.model;

/**
 * Image quality for single-channel images in [0,1]: PSNR (data range 1, capped at 100 dB for a
 * perfect match) and SSIM (Wang et al. 2004: Gaussian window sigma 1.5 truncated to 7x7, K1 = 0.01,
 * K2 = 0.03, averaged over the positions where the window fits). Scores over a set are the mean of
 * the per-image scores.
 */
public final class Metrics {
  static final double MAX_PSNR = 100;
  private static final int R = 3;
  private static final double[] WINDOW = gaussian1d(R, 1.5);
  private static final double C1 = 0.01 * 0.01;
  private static final double C2 = 0.03 * 0.03;

  private Metrics() {}

  /** PSNR in dB of image {@code i} of {@code a} against the same image of {@code b}. */
  public static double psnr(float[] a, float[] b, int offset, int len) {
    double se = 0;
    for (int k = offset; k < offset + len; k++) {
      double d = a[k] - b[k];
      se += d * d;
    }
    double mse = se / len;
    return mse <= 0 ? MAX_PSNR : Math.min(MAX_PSNR, 10 * Math.log10(1 / mse));
  }

  public static double mse(float[] a, float[] b) {
    double se = 0;
    for (int k = 0; k < a.length; k++) {
      double d = a[k] - b[k];
      se += d * d;
    }
    return se / a.length;
  }

  /** SSIM of one h x w image of {@code a} (from {@code offset}) against the same of {@code b}. */
  public static double ssim(float[] a, float[] b, int offset, int h, int w) {
    int ho = h - 2 * R;
    int wo = w - 2 * R;
    if (ho <= 0 || wo <= 0) {
      throw new ModelException("SSIM needs images of at least 7x7");
    }
    double total = 0;
    for (int y = R; y < h - R; y++) {
      for (int x = R; x < w - R; x++) {
        double ma = 0;
        double mb = 0;
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        for (int dy = -R; dy <= R; dy++) {
          int row = offset + (y + dy) * w;
          double wy = WINDOW[dy + R];
          for (int dx = -R; dx <= R; dx++) {
            double wt = wy * WINDOW[dx + R];
            double va = a[row + x + dx];
            double vb = b[row + x + dx];
            ma += wt * va;
            mb += wt * vb;
            saa += wt * va * va;
            sbb += wt * vb * vb;
            sab += wt * va * vb;
          }
        }
        double va = saa - ma * ma;
        double vb = sbb - mb * mb;
        double cov = sab - ma * mb;
        total +=
            ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
      }
    }
    return total / (ho * wo);
  }

  /** Mean PSNR and SSIM over {@code n} images of h x w. */
  public static double[] meanPsnrSsim(float[] out, float[] clean, int n, int h, int w) {
    double p = 0;
    double s = 0;
    int px = h * w;
    for (int i = 0; i < n; i++) {
      p += psnr(out, clean, i * px, px);
      s += ssim(out, clean, i * px, h, w);
    }
    return new double[] {p / n, s / n};
  }

  static double[] gaussian1d(int r, double sigma) {
    double[] g = new double[2 * r + 1];
    double sum = 0;
    for (int i = -r; i <= r; i++) {
      g[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
      sum += g[i + r];
    }
    for (int i = 0; i < g.length; i++) {
      g[i] /= sum;
    }
    return g;
  }
}
