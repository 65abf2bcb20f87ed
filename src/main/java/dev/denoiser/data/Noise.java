package dev.denoiser.data;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded noise model for images in [0,1], written as a short spec: {@code gaussian:SIGMA}
 * (additive Gaussian, sigma in pixel units of [0,1], result clipped to [0,1]), {@code
 * gaussian:LO..HI} (the same with sigma drawn uniformly in [LO,HI] for each image: a model trained
 * on it works across noise levels), {@code sp:AMOUNT} (salt-and-pepper: that fraction of pixels set
 * to 0 or 1 with equal odds), {@code mix:SIGMA:AMOUNT} (Gaussian, then salt-and-pepper) or {@code
 * none}. The same seed gives the same noise.
 */
public record Noise(Kind kind, double sigma, double sigmaMax, double amount) {
  /** The noise families. */
  public enum Kind {
    NONE,
    GAUSSIAN,
    SALT_PEPPER,
    MIX
  }

  public Noise {
    if (sigmaMax < sigma) {
      sigmaMax = sigma;
    }
    if (!(sigma >= 0 && sigmaMax <= 10) || !(amount >= 0 && amount <= 1)) {
      throw new DataException(
          "noise sigma must be in [0,10] and amount in [0,1], got sigma="
              + sigma
              + " amount="
              + amount);
    }
  }

  public static Noise gaussian(double sigma) {
    return new Noise(Kind.GAUSSIAN, sigma, sigma, 0);
  }

  public static Noise saltPepper(double amount) {
    return new Noise(Kind.SALT_PEPPER, 0, 0, amount);
  }

  /** Parses a spec such as {@code gaussian:0.5}, {@code sp:0.1}, {@code mix:0.3:0.05}. */
  public static Noise parse(String spec) {
    String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
    String[] p = s.split(":");
    try {
      switch (p[0]) {
        case "none":
          if (p.length == 1) {
            return new Noise(Kind.NONE, 0, 0, 0);
          }
          break;
        case "gaussian":
        case "g":
          if (p.length == 2 && p[1].contains("..")) {
            String[] r = p[1].split("\\.\\.", -1);
            double lo = Double.parseDouble(r[0]);
            double hi = Double.parseDouble(r[1]);
            if (r.length == 2 && hi >= lo) {
              return new Noise(Kind.GAUSSIAN, lo, hi, 0);
            }
          } else if (p.length == 2) {
            return gaussian(Double.parseDouble(p[1]));
          }
          break;
        case "sp":
        case "saltpepper":
          if (p.length == 2) {
            return saltPepper(Double.parseDouble(p[1]));
          }
          break;
        case "mix":
          if (p.length == 3) {
            double sg = Double.parseDouble(p[1]);
            return new Noise(Kind.MIX, sg, sg, Double.parseDouble(p[2]));
          }
          break;
        default:
          break;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new DataException(
        "bad noise spec '" + spec + "': use gaussian:SIGMA, sp:AMOUNT, mix:SIGMA:AMOUNT or none");
  }

  /** The spec string that {@link #parse} reads back. */
  public String spec() {
    return switch (kind) {
      case NONE -> "none";
      case GAUSSIAN -> "gaussian:" + fmt(sigma) + (sigmaMax > sigma ? ".." + fmt(sigmaMax) : "");
      case SALT_PEPPER -> "sp:" + fmt(amount);
      case MIX -> "mix:" + fmt(sigma) + ":" + fmt(amount);
    };
  }

  @Override
  public String toString() {
    return spec();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /**
   * Adds noise to {@code n} consecutive images of {@code px} pixels from {@code src} into {@code
   * dst} (same offsets); a sigma range draws one sigma per image.
   */
  public void applyImages(float[] src, float[] dst, int n, int px, SplittableRandom rng) {
    for (int i = 0; i < n; i++) {
      apply(src, i * px, px, dst, i * px, rng);
    }
  }

  /**
   * Adds noise to one image: {@code len} pixels of {@code src} from {@code off} into {@code dst}.
   */
  public void apply(float[] src, int off, int len, float[] dst, int dstOff, SplittableRandom rng) {
    boolean gauss = kind == Kind.GAUSSIAN || kind == Kind.MIX;
    boolean sp = kind == Kind.SALT_PEPPER || kind == Kind.MIX;
    float s = (float) (sigmaMax > sigma ? sigma + (sigmaMax - sigma) * rng.nextDouble() : sigma);
    for (int i = 0; i < len; i++) {
      float v = src[off + i];
      if (gauss) {
        v += s * (float) rng.nextGaussian();
        v = v < 0f ? 0f : Math.min(v, 1f);
      }
      if (sp) {
        double u = rng.nextDouble();
        if (u < amount) {
          v = u < amount / 2 ? 0f : 1f;
        }
      }
      dst[dstOff + i] = v;
    }
  }

  /** A noisy copy of {@code clean}, images of {@code px} pixels, from one seeded generator. */
  public float[] apply(float[] clean, int px, long seed) {
    float[] out = new float[clean.length];
    applyImages(clean, out, clean.length / px, px, new SplittableRandom(seed));
    return out;
  }
}
