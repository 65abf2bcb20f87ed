package dev.denoiser.inference;

import dev.denoiser.error.DenoiserException;

/**
 * A worker's answer to a {@link Batch}: for item {@code i}, either {@code denoised[i]} and {@code
 * latent[i]} or {@code errors[i]}. Items fail on their own. {@code noiseSigmas[i]} is the noise
 * estimate of input {@code i} ({@link FrameNoise}, 0-255 scale; NaN when not measured).
 */
public record BatchResult(
    String model,
    long modelVersion,
    float[][] denoised,
    float[][] latent,
    DenoiserException[] errors,
    long computeNanos,
    long startedNanos,
    double[] noiseSigmas) {

  /** The sigma of input {@code i}, NaN when not measured. */
  public double noiseSigma(int i) {
    return noiseSigmas == null || i >= noiseSigmas.length ? Double.NaN : noiseSigmas[i];
  }

  public boolean failed(int i) {
    return errors != null && errors[i] != null;
  }
}
