package dev.denoiser.frame;

/**
 * The moments of a Gaussian clipped to the range of an 8-bit pixel: {@code Y = clip(x + N(0, s^2),
 * 0, 255)}. A uint8 feed with noise of sigma {@code s} around a clean value {@code x} gives {@link
 * #mean} and {@link #variance}; near 0 and 255 the mean is not {@code x} and the variance is below
 * {@code s^2}. All values are on the 0-255 scale.
 */
public final class CensoredGaussian {
  /** The upper clipping bound (8-bit white). */
  public static final double WHITE = 255.0;

  private static final double INV_SQRT_2PI = 0.3989422804014327;

  private CensoredGaussian() {}

  /** Standard normal density. */
  public static double phi(double z) {
    return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
  }

  /** Standard normal distribution function, to about 1e-7 relative (via {@link #erfc}). */
  public static double cdf(double z) {
    return 0.5 * erfc(-z / Math.sqrt(2.0));
  }

  /** The complementary error function (Chebyshev fit, fractional error below 1.2e-7). */
  public static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1.0 / (1.0 + 0.5 * z);
    double r =
        t
            * Math.exp(
                -z * z
                    - 1.26551223
                    + t
                        * (1.00002368
                            + t
                                * (0.37409196
                                    + t
                                        * (0.09678418
                                            + t
                                                * (-0.18628806
                                                    + t
                                                        * (0.27886807
                                                            + t
                                                                * (-1.13520398
                                                                    + t
                                                                        * (1.48851587
                                                                            + t
                                                                                * (-0.82215223
                                                                                    + t
                                                                                        * 0.17087277)))))))));
    return x >= 0 ? r : 2.0 - r;
  }

  /** {@code E[clip(x + N(0, s^2), 0, 255)]}. */
  public static double mean(double x, double s) {
    if (s <= 0) {
      return Math.min(WHITE, Math.max(0, x));
    }
    double a = -x / s;
    double b = (WHITE - x) / s;
    double pa = cdf(a);
    double pb = cdf(b);
    return WHITE * (1 - pb) + x * (pb - pa) + s * (phi(a) - phi(b));
  }

  /** {@code Var[clip(x + N(0, s^2), 0, 255)]}. */
  public static double variance(double x, double s) {
    if (s <= 0) {
      return 0;
    }
    double a = -x / s;
    double b = (WHITE - x) / s;
    double pa = cdf(a);
    double pb = cdf(b);
    double p = pb - pa;
    double fa = phi(a);
    double fb = phi(b);
    double m = WHITE * (1 - pb) + x * p + s * (fa - fb);
    double m2 =
        WHITE * WHITE * (1 - pb)
            + x * x * p
            + 2 * x * s * (fa - fb)
            + s * s * (p + a * fa - b * fb);
    return Math.max(0, m2 - m * m);
  }

  /**
   * The clean value {@code x} whose clipped mean at sigma {@code s} is {@code m}. The clipped mean
   * rises with {@code x} at the slope {@code P(not clipped)}, so a Newton step, kept inside a
   * shrinking bracket (bisection when it leaves it), converges in a handful of evaluations. {@code
   * m} must lie strictly inside (0, 255).
   */
  public static double invertMean(double m, double s) {
    if (m - 4 * s > 0 && m + 4 * s < WHITE) {
      return m; // nothing measurable is clipped
    }
    double lo = -6 * s - 1;
    double hi = WHITE + 6 * s + 1;
    double x = Math.min(hi, Math.max(lo, m));
    for (int i = 0; i < 60 && hi - lo > 1e-9; i++) {
      double a = -x / s;
      double b = (WHITE - x) / s;
      double pa = cdf(a);
      double pb = cdf(b);
      double f = WHITE * (1 - pb) + x * (pb - pa) + s * (phi(a) - phi(b)) - m;
      if (f < 0) {
        lo = x;
      } else {
        hi = x;
      }
      if (Math.abs(f) < 1e-10) {
        return x;
      }
      double slope = pb - pa;
      double next = slope > 1e-12 ? x - f / slope : Double.NaN;
      x = next > lo && next < hi ? next : 0.5 * (lo + hi);
    }
    return x;
  }

  /**
   * The sigma {@code s} such that a clipped Gaussian with some clean value has mean {@code m} and
   * variance {@code v}: solves {@code variance(invertMean(m, s), s) = v} by bisection on {@code s}.
   * Returns NaN when {@code m} is at a bound or {@code v} is not positive.
   */
  public static double invertSigma(double m, double v, double maxSigma) {
    if (!(m > 0.05 && m < WHITE - 0.05) || !(v > 0)) {
      return Double.NaN;
    }
    // The largest variance a clipped variable of mean m can have is m*(255-m) (all mass on the
    // bounds).
    if (v >= m * (WHITE - m)) {
      return maxSigma;
    }
    // Far from both bounds clipping changes neither moment measurably (the mass beyond 4 sigma is
    // 3e-5): the plain deviation is the answer, without the nested bisections that cost about a
    // quarter millisecond.
    double plain = Math.sqrt(v);
    if (m - 4 * plain > 0 && m + 4 * plain < WHITE && plain < maxSigma) {
      return plain;
    }
    // The clipped variance along the curve of clipped mean m rises with s: regula falsi with the
    // Illinois modification (superlinear, about ten evaluations where bisection took fifty).
    double lo = 0;
    double glo = -v;
    double hi = maxSigma;
    double ghi = variance(invertMean(m, hi), hi) - v;
    if (!(ghi > 0)) {
      return maxSigma;
    }
    int side = 0;
    double mid = 0.5 * (lo + hi);
    for (int i = 0; i < 100 && hi - lo > 1e-7; i++) {
      mid = (lo * ghi - hi * glo) / (ghi - glo);
      if (!(mid > lo && mid < hi)) {
        mid = 0.5 * (lo + hi);
      }
      double g = variance(invertMean(m, mid), mid) - v;
      if (Math.abs(g) < 1e-9 * v) {
        return mid;
      }
      if (g < 0) {
        lo = mid;
        glo = g;
        if (side < 0) {
          ghi *= 0.5;
        }
        side = -1;
      } else {
        hi = mid;
        ghi = g;
        if (side > 0) {
          glo *= 0.5;
        }
        side = 1;
      }
    }
    return mid;
  }
}
