package dev.denoiser.model.eval;

/**
 * The result of one method at one noise level: the chosen configuration ({@code denoiser}, whose
 * name carries the parameter), the PSNR of every photo in test-set order, and, for a method with a
 * parameter grid, the PSNR of every photo with the parameter best for that photo ({@code
 * perImageBest}, null otherwise).
 */
public record Score(Denoiser denoiser, double[] perImage, double[] perImageBest) {

  public Score(Denoiser denoiser, double[] perImage) {
    this(denoiser, perImage, null);
  }

  public double mean() {
    return mean(perImage);
  }

  /** Mean over photos of the per-photo best parameter; NaN without a grid. */
  public double meanPerImageBest() {
    return perImageBest == null ? Double.NaN : mean(perImageBest);
  }

  /** This score with the per-photo best PSNRs of its grid attached. */
  Score withBest(double[] best) {
    return new Score(denoiser, perImage, best);
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }
}
