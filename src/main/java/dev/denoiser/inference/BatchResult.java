package dev.denoiser.inference;

import dev.denoiser.error.DenoiserException;

/**
 * A worker's answer to a {@link Batch}: for item {@code i}, either {@code denoised[i]} and
 * {@code latent[i]} or {@code errors[i]}. Items fail on their own.
 */
public record BatchResult(
    String model,
    long modelVersion,
    float[][] denoised,
    float[][] latent,
    DenoiserException[] errors,
    long computeNanos,
    long startedNanos) {

  public boolean failed(int i) {
    return errors != null && errors[i] != null;
  }
}
