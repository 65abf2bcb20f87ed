package dev.denoiser.model.eval;

/**
 * The result of one method at one noise level: the chosen configuration ({@code denoiser}, whose
 * name carries the parameter), the PSNR of every photo in test-set order, and their mean.
 */
public record Score(Denoiser denoiser, double[] perImage) {

  public double mean() {
    double s = 0;
    for (double v : perImage) {
      s += v;
    }
    return s / perImage.length;
  }
}
