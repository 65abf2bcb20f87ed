package dev.denoiser.frame;

import java.util.Arrays;

/**
 * Estimates the sigma of additive Gaussian noise in one frame, on the 0-255 scale, aware that an
 * 8-bit feed clips the noise at 0 and 255.
 *
 * <p>The frame is cut into {@value #BLOCK}x{@value #BLOCK} blocks. In each block the finest Haar
 * diagonal band ({@code (a - b - c + d) / 2} of every 2x2 cell) cancels any linear ramp of the
 * image and keeps the noise at its full variance; the mean of its squares is the block's noise
 * variance {@code v} and the block mean is {@code m}. Clipping makes both biased: in a flat block
 * of clean value {@code x}, {@code m = g(x, s)} and {@code v = v(x, s)} are the mean and variance
 * of the censored Gaussian ({@link CensoredGaussian}), so each block's sigma is found by inverting
 * those two moments. Texture only adds to {@code v}, so the flattest blocks tell the noise: the
 * estimate is a low quantile ({@value #QUANTILE}) of the block sigmas, divided by the same quantile
 * of pure-noise blocks' estimates: first the chi-square spread of {@code v} over the block's cells,
 * then (twice) the quantile found by simulating flat blocks of 8-bit clipped noise at the current
 * estimate with the frame's block means.
 */
public final class NoiseEstimate {
  /** Block side in pixels. */
  public static final int BLOCK = 16;

  /** Which quantile of the block sigmas is used. */
  public static final double QUANTILE = 0.15;

  private static final double MAX_SIGMA = 200;

  private NoiseEstimate() {}

  /** The noise sigma (0-255 scale) of a frame: the mean of its channels' estimates. */
  public static double sigma(Frame f) {
    int n = f.height() * f.width();
    double sum = 0;
    for (int c = 0; c < f.channels(); c++) {
      float[] plane =
          f.channels() == 1 ? f.pixels() : Arrays.copyOfRange(f.pixels(), c * n, (c + 1) * n);
      sum += sigma(plane, f.width(), f.height());
    }
    return sum / f.channels();
  }

  /**
   * The noise sigma (0-255 scale) of one plane of values in [0,1], row-major.
   *
   * @throws IllegalArgumentException if the plane has no block of {@value #BLOCK}x{@value #BLOCK}
   *     pixels that is not entirely clipped
   */
  public static double sigma(float[] plane, int width, int height) {
    if (plane.length != width * height) {
      throw new IllegalArgumentException(
          "plane length " + plane.length + " is not " + width + "x" + height);
    }
    int by = height / BLOCK;
    int bx = width / BLOCK;
    double[] means = new double[by * bx];
    double[] sig = new double[by * bx];
    int k = 0;
    for (int j = 0; j < by; j++) {
      for (int i = 0; i < bx; i++) {
        double[] mv = block(plane, width, i * BLOCK, j * BLOCK);
        double s = CensoredGaussian.invertSigma(mv[0], mv[1], MAX_SIGMA);
        if (!Double.isNaN(s)) {
          means[k] = mv[0];
          sig[k++] = s;
        }
      }
    }
    if (k == 0) {
      throw new IllegalArgumentException(
          "no block of "
              + BLOCK
              + "x"
              + BLOCK
              + " pixels to estimate noise from in a "
              + width
              + "x"
              + height
              + " plane");
    }
    double q = quantile(Arrays.copyOf(sig, k), QUANTILE);
    double est = q / pureNoiseQuantile(QUANTILE, (BLOCK / 2) * (BLOCK / 2));
    // Calibration: where the same quantile falls for flat blocks of pure 8-bit clipped noise at the
    // estimate, with the blocks' own clean levels. This takes in what the chi-square factor
    // leaves out: the noise of each block's mean (which the clipped inversion turns into spread of
    // the block sigmas), the clipping's lighter tails and the rounding to 8 bits.
    for (int it = 0; it < CALIBRATIONS; it++) {
      double sim = simulatedQuantile(Arrays.copyOf(means, k), est);
      if (!(sim > 0)) {
        break;
      }
      est = est * q / sim;
    }
    return est;
  }

  /** Rounds of calibration by simulation. */
  static final int CALIBRATIONS = 2;

  /** Block mean and mean square of the diagonal band, on the 0-255 scale. */
  private static double[] block(float[] plane, int width, int x0, int y0) {
    double sum = 0;
    double sq = 0;
    int cells = (BLOCK / 2) * (BLOCK / 2);
    for (int y = y0; y < y0 + BLOCK; y += 2) {
      int r0 = y * width;
      int r1 = r0 + width;
      for (int x = x0; x < x0 + BLOCK; x += 2) {
        double a = plane[r0 + x];
        double b = plane[r0 + x + 1];
        double c = plane[r1 + x];
        double d = plane[r1 + x + 1];
        sum += a + b + c + d;
        double hh = (a - b - c + d) * 0.5;
        sq += hh * hh;
      }
    }
    return new double[] {255.0 * sum / (4.0 * cells), 255.0 * 255.0 * sq / cells};
  }

  /**
   * The {@link #QUANTILE} of the block sigmas of simulated flat blocks, one for each of the given
   * block means, of 8-bit clipped Gaussian noise of sigma {@code s} (fixed seed: the estimate is a
   * function of the plane).
   */
  static double simulatedQuantile(double[] means, double s) {
    float[] normals = Normals.TABLE;
    int rows = normals.length / (BLOCK * BLOCK);
    float[] blk = new float[BLOCK * BLOCK];
    double[] sig = new double[means.length];
    int k = 0;
    for (int j = 0; j < means.length; j++) {
      double x = CensoredGaussian.invertMean(means[j], s);
      int row = (j % rows) * blk.length;
      for (int i = 0; i < blk.length; i++) {
        blk[i] = (float) (Math.min(255, Math.max(0, Math.rint(x + s * normals[row + i]))) / 255.0);
      }
      double[] mv = block(blk, BLOCK, 0, 0);
      double e = CensoredGaussian.invertSigma(mv[0], mv[1], MAX_SIGMA);
      if (!Double.isNaN(e)) {
        sig[k++] = e;
      }
    }
    return k == 0 ? Double.NaN : quantile(Arrays.copyOf(sig, k), QUANTILE);
  }

  /**
   * Standard normal draws for the simulated blocks, drawn once with a fixed seed: {@value #ROWS}
   * blocks' worth, reused in turn when a plane has more blocks. Drawing them per call cost more
   * than the rest of the estimate on a small frame.
   */
  private static final class Normals {
    static final float[] TABLE = draw();

    private static float[] draw() {
      java.util.SplittableRandom rng = new java.util.SplittableRandom(0x5EEDL);
      float[] t = new float[ROWS * BLOCK * BLOCK];
      for (int i = 0; i < t.length; i += 2) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        double r = Math.sqrt(-2 * Math.log(1 - u));
        t[i] = (float) (r * Math.cos(2 * Math.PI * v));
        t[i + 1] = (float) (r * Math.sin(2 * Math.PI * v));
      }
      return t;
    }
  }

  /** Simulated blocks drawn once (1 MiB of floats). */
  static final int ROWS = 1024;

  private static double quantile(double[] v, double p) {
    Arrays.sort(v);
    return v[(int) Math.min(v.length - 1, Math.floor(p * v.length))];
  }

  /**
   * The {@code p} quantile of {@code sqrt(chi2_k / k)}: where a pure-noise block's sigma estimate
   * over {@code k} cells falls relative to the true sigma (Wilson-Hilferty approximation).
   */
  static double pureNoiseQuantile(double p, int k) {
    double z = inverseNormal(p);
    double h = 2.0 / (9.0 * k);
    double c = 1 - h + z * Math.sqrt(h);
    return Math.sqrt(c * c * c);
  }

  /** The standard normal quantile (Acklam's rational approximation, about 1e-9). */
  static double inverseNormal(double p) {
    double[] a = {
      -3.969683028665376e+01,
      2.209460984245205e+02,
      -2.759285104469687e+02,
      1.383577518672690e+02,
      -3.066479806614716e+01,
      2.506628277459239e+00
    };
    double[] b = {
      -5.447609879822406e+01,
      1.615858368580409e+02,
      -1.556989798598866e+02,
      6.680131188771972e+01,
      -1.328068155288572e+01
    };
    double[] c = {
      -7.784894002430293e-03,
      -3.223964580411365e-01,
      -2.400758276962440e+00,
      -2.549732539343734e+00,
      4.374664141464968e+00,
      2.938163982698783e+00
    };
    double[] d = {
      7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
    };
    double pl = 0.02425;
    if (p < pl) {
      double q = Math.sqrt(-2 * Math.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - pl) {
      return -inverseNormal(1 - p);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
}
