package dev.denoiser.model.selfsup;

import dev.denoiser.frame.CensoredGaussian;
import dev.denoiser.frame.Frame;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Estimates a denoiser's PSNR on noisy frames alone, for an 8-bit feed with Gaussian noise of a
 * known sigma that clips at 0 and 255. Stein's unbiased risk estimate (SURE) is written in the
 * latent unclipped value {@code u = x + n} of every pixel: {@code E[(f - x)^2] = E[(f - u)^2] - s^2
 * + 2 s^2 E[df/du]}.
 *
 * <ul>
 *   <li>Where the pixel is not clipped, {@code u = y}: the term is {@code (f - y)^2 - s^2 + 2 s^2
 *       df/dy}, the divergence by Monte Carlo (one Rademacher probe masked to unclipped pixels,
 *       {@code b . (f(y + e b) - f(y)) / e}).
 *   <li>Where the pixel is clipped at 0 (or 255), {@code f} does not depend on {@code u} (flat), so
 *       there is no divergence term, and {@code (f - u)^2} is replaced by its expectation given
 *       {@code u < 0.5} (or {@code u > 254.5}): the mean and variance of a Gaussian truncated
 *       there, centred on a pilot estimate {@code p} of the clean pixel (the serving model's
 *       output).
 * </ul>
 *
 * The per-frame MSE gives a per-frame PSNR (peak 1); the estimate is their mean, the same average
 * as the true PSNR it stands for, unless some per-frame estimate is not positive ({@link #psnrs}).
 */
public final class ClippedSure {
  /** The probe step on the 0-255 scale. */
  static final double EPSILON = 1.0;

  private ClippedSure() {}

  /** The estimated mean PSNR (dB) with the denoiser's own output as the pilot. */
  public static double estimatePsnr(Denoiser f, List<Frame> noisy, double sigma, long seed) {
    return estimatePsnr(f, null, noisy, sigma, seed);
  }

  /**
   * The estimated mean PSNR (dB) of {@code f} over {@code noisy} gray frames with noise {@code
   * sigma} (0-255 scale), the clipped pixels' clean values taken from {@code pilot}'s output (null:
   * {@code f}'s own).
   */
  public static double estimatePsnr(
      Denoiser f, Denoiser pilot, List<Frame> noisy, double sigma, long seed) {
    return psnr(estimateMses(f, pilot, noisy, sigma, seed));
  }

  /**
   * The estimated per-frame MSEs ([0,1] scale) of {@code f}; the same {@code seed} gives the same
   * probes, so two denoisers' MSEs can be subtracted frame by frame.
   */
  public static double[] estimateMses(
      Denoiser f, Denoiser pilot, List<Frame> noisy, double sigma, long seed) {
    double[] out = new double[noisy.size()];
    SplittableRandom rng = new SplittableRandom(seed);
    for (int k = 0; k < out.length; k++) {
      out[k] = estimateMse(f, pilot, noisy.get(k), sigma, rng.nextLong());
    }
    return out;
  }

  /** The PSNR (dB, peak 1) of per-frame MSEs, as {@link #psnrs} gives it for one set. */
  public static double psnr(double[] mses) {
    return psnrs(mses)[0];
  }

  /**
   * The PSNR (dB, peak 1) of each set of per-frame MSE estimates, all sets the same way: the mean
   * of the per-frame PSNRs, or, if any estimate in any set is not positive, the PSNR of each set's
   * mean MSE. A frame's estimate is unbiased but spread by the noise; when a frame is small and the
   * noise large (a 28x28 digit at sigma 178), the spread exceeds the frame's error, some estimates
   * fall below zero, and the per-frame mean would count each of them as 100 dB. The mean MSE stays
   * unbiased.
   */
  public static double[] psnrs(double[]... sets) {
    boolean positive = true;
    for (double[] mses : sets) {
      for (double mse : mses) {
        positive &= mse > 0;
      }
    }
    double[] out = new double[sets.length];
    for (int k = 0; k < sets.length; k++) {
      double sum = 0;
      double mean = 0;
      for (double mse : sets[k]) {
        sum += 10 * Math.log10(1.0 / Math.max(mse, 1e-10));
        mean += mse / sets[k].length;
      }
      out[k] = positive ? sum / sets[k].length : 10 * Math.log10(1.0 / Math.max(mean, 1e-10));
    }
    return out;
  }

  /** The estimated per-pixel MSE (on the [0,1] scale) of {@code f} on one gray frame. */
  public static double estimateMse(Denoiser f, Denoiser pilot, Frame y, double sigma, long seed) {
    if (y.channels() != 1) {
      throw new IllegalArgumentException(
          "the gate scores gray frames, got " + y.channels() + " channels");
    }
    int h = y.height();
    int w = y.width();
    float[] px = y.pixels();
    float[] out = f.apply(px, h, w);
    float[] p = pilot == null ? out : pilot.apply(px, h, w);
    SplittableRandom rng = new SplittableRandom(seed);
    float[] probe = px.clone();
    byte[] sign = new byte[px.length];
    float e = (float) (EPSILON / 255.0);
    for (int i = 0; i < px.length; i++) {
      double v = px[i] * 255.0;
      if (v > 0.5 && v < 254.5) {
        sign[i] = (byte) (rng.nextBoolean() ? 1 : -1);
        probe[i] = px[i] + sign[i] * e;
      }
    }
    float[] moved = f.apply(probe, h, w);
    double s = sigma;
    double s2 = s * s;
    double total = 0;
    for (int i = 0; i < px.length; i++) {
      double v = px[i] * 255.0;
      double fi = out[i] * 255.0;
      if (sign[i] != 0) {
        double div = sign[i] * (moved[i] - out[i]) * 255.0 / EPSILON;
        double d = fi - v;
        total += d * d - s2 + 2 * s2 * div;
      } else {
        double x = p[i] * 255.0;
        double[] mv = v <= 0.5 ? truncatedBelow(x, s, 0.5) : truncatedAbove(x, s, 254.5);
        double d = fi - mv[0];
        total += d * d + mv[1] - s2;
      }
    }
    return total / px.length / (255.0 * 255.0);
  }

  /** Mean and variance of N(x, s^2) given a value below {@code c}. */
  static double[] truncatedBelow(double x, double s, double c) {
    double a = (c - x) / s;
    double pa = Math.max(CensoredGaussian.cdf(a), 1e-300);
    double r = CensoredGaussian.phi(a) / pa;
    if (a < -30) {
      // Far in the tail: the inverse Mills ratio tends to -a.
      r = -a;
    }
    double mean = x - s * r;
    double var = s * s * Math.max(0, 1 - a * r - r * r);
    return new double[] {Math.min(mean, c), var};
  }

  /** Mean and variance of N(x, s^2) given a value above {@code c}. */
  static double[] truncatedAbove(double x, double s, double c) {
    double[] m = truncatedBelow(-x, s, -c);
    return new double[] {-m[0], m[1]};
  }

  /**
   * Plain SURE, for comparison: {@code (f - y)^2 - s^2 + 2 s^2 df/dy} over every pixel, as if the
   * feed did not clip. Mean per-frame PSNR (dB).
   */
  public static double plainSurePsnr(Denoiser f, List<Frame> noisy, double sigma, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double sum = 0;
    for (Frame y : noisy) {
      float[] px = y.pixels();
      float[] out = f.apply(px, y.height(), y.width());
      float[] probe = px.clone();
      byte[] sign = new byte[px.length];
      float e = (float) (EPSILON / 255.0);
      for (int i = 0; i < px.length; i++) {
        sign[i] = (byte) (rng.nextBoolean() ? 1 : -1);
        probe[i] = px[i] + sign[i] * e;
      }
      float[] moved = f.apply(probe, y.height(), y.width());
      double s2 = sigma * sigma;
      double total = 0;
      for (int i = 0; i < px.length; i++) {
        double d = (out[i] - px[i]) * 255.0;
        total += d * d - s2 + 2 * s2 * sign[i] * (moved[i] - out[i]) * 255.0 / EPSILON;
      }
      double mse = total / px.length / (255.0 * 255.0);
      sum += 10 * Math.log10(1.0 / Math.max(mse, 1e-10));
    }
    return sum / noisy.size();
  }

  /** The true mean PSNR (dB, peak 1) of {@code f} on noisy frames against their clean frames. */
  public static double truePsnr(Denoiser f, List<Frame> noisy, List<Frame> clean) {
    double sum = 0;
    for (int k = 0; k < noisy.size(); k++) {
      Frame y = noisy.get(k);
      float[] out = f.apply(y.pixels(), y.height(), y.width());
      float[] c = clean.get(k).pixels();
      double se = 0;
      for (int i = 0; i < c.length; i++) {
        double d = out[i] - c[i];
        se += d * d;
      }
      sum += 10 * Math.log10(1.0 / Math.max(se / c.length, 1e-10));
    }
    return sum / noisy.size();
  }
}
