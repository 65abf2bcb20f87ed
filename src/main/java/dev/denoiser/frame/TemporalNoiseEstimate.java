package dev.denoiser.frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Estimates the noise sigma (0-255 scale) of a static camera's feed from many of its frames at
 * once: the noise is independent from frame to frame, so where the scene stands still, the temporal
 * spread of each pixel is the noise alone, with no texture to tell apart.
 *
 * <p>The frames of the most common size are stacked. The background of every pixel is its median
 * over the frames. A {@value #CELL}x{@value #CELL} cell of one frame whose mean departs from the
 * background's by more than {@value #MOTION_Z} standard errors of the noise (at a first, spatial
 * estimate, {@link NoiseEstimate}) holds something that moved and is left out. Over the cells that
 * remain, every pixel gives a mean {@code m} and an unbiased variance {@code v} of its values; with
 * 8-bit clipping, {@code m = g(x, s)} and {@code E v = v(x, s)} ({@link CensoredGaussian}), so the
 * estimate is the sigma that makes the count-weighted mean of {@code v} equal that of {@code v(x(m,
 * s), s)} (pixels binned by {@code m}). It is {@code NaN} when fewer than {@value #MIN_FRAMES}
 * frames share a size or less than {@value #MIN_STATIC} of the cells are still (a moving camera):
 * then only the per-frame estimate applies.
 */
public final class TemporalNoiseEstimate {
  /** Side of the cells tested for motion. */
  public static final int CELL = 8;

  /** How far (in standard errors) a cell's mean may depart from the background's. */
  public static final double MOTION_Z = 3.0;

  /** The fewest frames of one size. */
  public static final int MIN_FRAMES = 8;

  /** The smallest fraction of still cells. */
  public static final double MIN_STATIC = 0.5;

  private static final int BINS = 1024;

  private TemporalNoiseEstimate() {}

  /**
   * What the estimate saw: the sigma (NaN if none), the frames used, the fraction of still cells.
   */
  public record Result(double sigma, int frames, double stillFraction, double spatialSigma) {
    public boolean valid() {
      return !Double.isNaN(sigma);
    }
  }

  /** The sigma of gray frames of a static camera, or NaN (see the class comment). */
  public static double sigma(List<Frame> frames) {
    return estimate(frames).sigma();
  }

  /** The estimate with what it saw. */
  public static Result estimate(List<Frame> frames) {
    return estimate(frames, CELL, MOTION_Z);
  }

  /** The estimate with cells of side {@code cell} and the motion test at {@code z} errors. */
  public static Result estimate(List<Frame> frames, int cell, double z) {
    List<Frame> same = commonSize(frames);
    if (same.size() < MIN_FRAMES) {
      return new Result(Double.NaN, same.size(), 0, Double.NaN);
    }
    int t = same.size();
    int h = same.get(0).height();
    int w = same.get(0).width();
    int n = h * w;
    double[] spatial = new double[Math.min(8, t)];
    for (int i = 0; i < spatial.length; i++) {
      spatial[i] = NoiseEstimate.sigma(same.get(i * t / spatial.length));
    }
    Arrays.sort(spatial);
    double s0 = spatial[spatial.length / 2];
    float[] background = medians(same, n);
    int cy = h / cell;
    int cx = w / cell;
    double limit = z * s0 / cell / 255.0;
    int[] count = new int[n];
    double[] sum = new double[n];
    // The finest Haar diagonal band of each 2x2 cell: its sum and sum of squares over the frames.
    double[] hSum = new double[n / 4 + 1];
    double[] hSq = new double[n / 4 + 1];
    int hw = w / 2;
    long still = 0;
    for (Frame f : same) {
      float[] px = f.pixels();
      for (int j = 0; j < cy; j++) {
        for (int i = 0; i < cx; i++) {
          double d = 0;
          for (int y = j * cell; y < (j + 1) * cell; y++) {
            for (int x = i * cell; x < (i + 1) * cell; x++) {
              d += px[y * w + x] - background[y * w + x];
            }
          }
          if (Math.abs(d) / (cell * cell) > limit) {
            continue;
          }
          still++;
          for (int y = j * cell; y < (j + 1) * cell; y++) {
            for (int x = i * cell; x < (i + 1) * cell; x++) {
              int p = y * w + x;
              count[p]++;
              sum[p] += px[p] * 255.0;
            }
          }
          for (int y = j * cell; y < (j + 1) * cell; y += 2) {
            for (int x = i * cell; x < (i + 1) * cell; x += 2) {
              int p = y * w + x;
              double hd = 127.5 * (px[p] - px[p + 1] - px[p + w] + px[p + w + 1]);
              int q = (y / 2) * hw + x / 2;
              hSum[q] += hd;
              hSq[q] += hd * hd;
            }
          }
        }
      }
    }
    double stillFraction = (double) still / ((long) t * cy * cx);
    if (stillFraction < MIN_STATIC) {
      return new Result(Double.NaN, t, stillFraction, s0);
    }
    // Pixels binned by their mean, weighted by their cells' (n - 1).
    double[] weight = new double[BINS];
    double observed = 0;
    double[] meanSum = new double[BINS];
    double[] perFrame = new double[BINS];
    for (int y = 0; y + 1 < cy * cell; y += 2) {
      for (int x = 0; x + 1 < cx * cell; x += 2) {
        int p = y * w + x;
        int c = count[p];
        if (c < 3) {
          continue;
        }
        int q = (y / 2) * hw + x / 2;
        double hm = hSum[q] / c;
        // The band's temporal variance is the mean of its four pixels' noise variances; what varies
        // in the scene itself is smooth in space (flicker, compression) and stays out of it.
        observed += hSq[q] - c * hm * hm;
        for (int o : new int[] {p, p + 1, p + w, p + w + 1}) {
          double m = sum[o] / c;
          int b = (int) Math.min(BINS - 1, Math.max(0, m / CensoredGaussian.WHITE * BINS));
          weight[b] += (c - 1) / 4.0;
          meanSum[b] += (c - 1) / 4.0 * m;
          perFrame[b] += (c - 1) / 4.0 / c;
        }
      }
    }
    double total = 0;
    for (int b = 0; b < BINS; b++) {
      total += weight[b];
    }
    if (total == 0) {
      return new Result(Double.NaN, t, stillFraction, s0);
    }
    observed /= total;
    double lo = 0.25 * s0;
    double hi = 4 * s0 + 1;
    for (int it = 0; it < 60; it++) {
      double mid = 0.5 * (lo + hi);
      if (expected(weight, meanSum, perFrame, mid) / total < observed) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return new Result(0.5 * (lo + hi), t, stillFraction, s0);
  }

  /**
   * The count-weighted sum of the clipped variances at sigma {@code s} of the binned pixels. A
   * pixel's clean level comes from its mean over {@code c} frames, which is itself noisy (variance
   * {@code v / c}); since {@code v(x(m))} curves in {@code m}, its value at the noisy mean is on
   * average {@code v'' v / (2 c)} off, which is taken back (with 40 frames at sigma 75 leaving it
   * out reads 0.4 high).
   */
  private static double expected(double[] weight, double[] meanSum, double[] perFrame, double s) {
    double e = 0;
    for (int b = 0; b < BINS; b++) {
      if (weight[b] > 0) {
        double m = meanSum[b] / weight[b];
        double h = 2.0;
        double v = clippedVariance(m, s);
        double curve = (clippedVariance(m + h, s) - 2 * v + clippedVariance(m - h, s)) / (h * h);
        e += weight[b] * v - 0.5 * curve * v * perFrame[b];
      }
    }
    return e;
  }

  /** The clipped variance of a pixel whose clipped mean is {@code m}. */
  private static double clippedVariance(double m, double s) {
    double mm = Math.min(CensoredGaussian.WHITE - 0.01, Math.max(0.01, m));
    return CensoredGaussian.variance(CensoredGaussian.invertMean(mm, s), s);
  }

  /** Each pixel's median over the frames, counted in 8-bit levels. */
  public static float[] medians(List<Frame> frames, int n) {
    int t = frames.size();
    float[] out = new float[n];
    int[] hist = new int[256];
    for (int p = 0; p < n; p++) {
      Arrays.fill(hist, 0);
      for (int k = 0; k < t; k++) {
        hist[(int) Math.min(255, Math.max(0, Math.round(frames.get(k).pixels()[p] * 255f)))]++;
      }
      int seen = 0;
      int level = 0;
      while (seen + hist[level] <= t / 2) {
        seen += hist[level++];
      }
      out[p] = level / 255f;
    }
    return out;
  }

  /** The gray frames of the most common size. */
  public static List<Frame> commonSize(List<Frame> frames) {
    List<Frame> best = List.of();
    List<Frame> gray = new ArrayList<>();
    for (Frame f : frames) {
      if (f.channels() == 1) {
        gray.add(f);
      }
    }
    for (Frame f : gray) {
      if (!best.isEmpty()
          && best.get(0).height() == f.height()
          && best.get(0).width() == f.width()) {
        continue;
      }
      List<Frame> same = new ArrayList<>();
      for (Frame g : gray) {
        if (g.height() == f.height() && g.width() == f.width()) {
          same.add(g);
        }
      }
      if (same.size() > best.size()) {
        best = same;
      }
    }
    return best;
  }
}
