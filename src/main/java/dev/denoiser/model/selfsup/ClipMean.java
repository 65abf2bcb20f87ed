package dev.denoiser.model.selfsup;

import ai.djl.ndarray.NDArray;

/**
 * The censored-Gaussian mean as a differentiable DJL operation, on the [0,1] scale: {@code g(f, s)
 * = E[clip(f + N(0, s^2), 0, 1)] = (1 - Phi(b)) + f (Phi(b) - Phi(a)) + s (phi(a) - phi(b))} with
 * {@code a = -f / s}, {@code b = (1 - f) / s}. Every self-supervised target taken from a clipped
 * feed has expectation {@code g(x, s)}, not {@code x}, near black and white; a loss on {@code g(f)}
 * lets the network output {@code f} learn {@code x} itself.
 */
public final class ClipMean {
  private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
  private static final float INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));

  private ClipMean() {}

  /** {@code g(f, s)}, element-wise; {@code s} is the noise sigma on the [0,1] scale. */
  public static NDArray of(NDArray f, double s) {
    float inv = (float) (1 / s);
    NDArray a = f.mul(-inv);
    NDArray b = f.mul(-inv).add(inv);
    NDArray pa = cdf(a);
    NDArray pb = cdf(b);
    NDArray upper = pb.neg().add(1f);
    return upper.add(f.mul(pb.sub(pa))).add(pdf(a).sub(pdf(b)).mul((float) s));
  }

  static NDArray cdf(NDArray z) {
    return z.mul(INV_SQRT2).erf().add(1f).mul(0.5f);
  }

  static NDArray pdf(NDArray z) {
    return z.square().mul(-0.5f).exp().mul(INV_SQRT_2PI);
  }
}
