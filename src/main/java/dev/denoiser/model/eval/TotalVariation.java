package dev.denoiser.model.eval;

import java.util.Locale;

/**
 * Total-variation denoising by Chambolle's projection algorithm (J. Math. Imaging Vis. 20, 2004): u
 * = f - weight * div p, where the dual field p is iterated as p &larr; (p + tau grad(div p - f /
 * weight)) / (1 + tau |grad(div p - f / weight)|), tau = 1/4, with forward differences (zero at the
 * far border) and their adjoint divergence. It minimises |u - f|^2 / (2 weight) + TV(u). Stops when
 * the mean absolute change of u over an iteration falls under {@code tol} (on the 0-255 scale) or
 * after {@code maxIter} iterations. Colour images are processed per channel.
 */
public final class TotalVariation implements Denoiser {
  private static final float TAU = 0.25f;
  private final double weight;
  private final int maxIter;
  private final double tol;

  public TotalVariation(double weight) {
    this(weight, 200, 0.002);
  }

  public TotalVariation(double weight, int maxIter, double tol) {
    if (!(weight > 0)) {
      throw new IllegalArgumentException("TV weight must be positive, got " + weight);
    }
    this.weight = weight;
    this.maxIter = maxIter;
    this.tol = tol;
  }

  @Override
  public String name() {
    return String.format(Locale.ROOT, "total variation w=%.1f", weight);
  }

  @Override
  public Image denoise(Image noisy) {
    return noisy.perChannel(this::solve);
  }

  private Image solve(Image img) {
    int w = img.width();
    int h = img.height();
    int n = w * h;
    float[] f = img.data();
    float lambda = (float) weight;
    float inv = 1f / lambda;
    float[] px = new float[n];
    float[] py = new float[n];
    float[] div = new float[n];
    float[] g = new float[n];
    float[] u = f.clone();
    for (int it = 0; it < maxIter; it++) {
      divergence(px, py, div, w, h);
      for (int i = 0; i < n; i++) {
        g[i] = div[i] - f[i] * inv;
      }
      for (int y = 0; y < h; y++) {
        int row = y * w;
        for (int x = 0; x < w; x++) {
          int i = row + x;
          float gx = x + 1 < w ? g[i + 1] - g[i] : 0f;
          float gy = y + 1 < h ? g[i + w] - g[i] : 0f;
          float norm = 1f + TAU * (float) Math.sqrt(gx * gx + gy * gy);
          px[i] = (px[i] + TAU * gx) / norm;
          py[i] = (py[i] + TAU * gy) / norm;
        }
      }
      divergence(px, py, div, w, h);
      double change = 0;
      for (int i = 0; i < n; i++) {
        float v = f[i] - lambda * div[i];
        change += Math.abs(v - u[i]);
        u[i] = v;
      }
      if (change / n < tol) {
        break;
      }
    }
    return new Image(w, h, 1, u);
  }

  /** The negative adjoint of the forward-difference gradient (backward differences). */
  private static void divergence(float[] px, float[] py, float[] div, int w, int h) {
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        int i = row + x;
        float dx = (x + 1 < w ? px[i] : 0f) - (x > 0 ? px[i - 1] : 0f);
        float dy = (y + 1 < h ? py[i] : 0f) - (y > 0 ? py[i - w] : 0f);
        div[i] = dx + dy;
      }
    }
  }
}
