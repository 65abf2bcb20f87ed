package dev.denoiser.model.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * The classical methods and the parameters tried for each: the eval keeps, per noise sigma, the
 * parameter with the best mean PSNR over the test photos (the same parameter for every photo).
 * Grids scale with sigma where the parameter does (TV weight, NLM h).
 */
public final class Baselines {
  /** Blur standard deviations tried (pixels), at every sigma. */
  static final double[] BLUR = {0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0};

  /** TV weight as a multiple of the noise sigma (0-255 scale). */
  static final double[] TV = {0.5, 0.6, 0.7, 0.8, 0.9, 1.0};

  /** NLM h as a multiple of sigma, gray. */
  static final double[] NLM = {0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3};

  /** NLM h (luminance and colour) as a multiple of sigma, for the colour version. */
  static final double[] NLM_COLOR = {0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2};

  private Baselines() {}

  /** A classical method: a label and the candidates tried at a given sigma. */
  public record Family(String label, DoubleFunction<List<Denoiser>> candidates) {}

  /** The gray families; non-local means only when {@code withNlm}. */
  public static List<Family> gray(boolean withNlm) {
    List<Family> out = new ArrayList<>();
    out.add(new Family("Gaussian blur", s -> blurs()));
    out.add(new Family("median", s -> List.of(new Median(3), new Median(5))));
    if (withNlm) {
      out.add(new Family("non-local means (OpenCV)", s -> scaled(NLM, s, NonLocalMeans::new)));
    }
    out.add(new Family("total variation (Chambolle)", s -> scaled(TV, s, TotalVariation::new)));
    return out;
  }

  /** The colour families (per channel, except NLM's colour version). */
  public static List<Family> color(boolean withNlm) {
    List<Family> out = new ArrayList<>();
    out.add(new Family("Gaussian blur", s -> blurs()));
    out.add(new Family("median", s -> List.of(new Median(3), new Median(5))));
    if (withNlm) {
      out.add(
          new Family(
              "non-local means colored (OpenCV)", s -> scaled(NLM_COLOR, s, NonLocalMeans::new)));
    }
    out.add(
        new Family(
            "total variation (Chambolle, per channel)", s -> scaled(TV, s, TotalVariation::new)));
    return out;
  }

  private static List<Denoiser> blurs() {
    List<Denoiser> out = new ArrayList<>();
    for (double b : BLUR) {
      out.add(new GaussianBlur(b));
    }
    return out;
  }

  private static List<Denoiser> scaled(double[] ks, double sigma, DoubleFunction<Denoiser> make) {
    List<Denoiser> out = new ArrayList<>();
    for (double k : ks) {
      out.add(make.apply(k * sigma));
    }
    return out;
  }
}
