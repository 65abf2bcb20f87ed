package dev.denoiser.inference;

import dev.denoiser.frame.Frame;

/**
 * The reply to an {@link InferenceRequest}: the denoised frame (same shape and ids as the input),
 * its latent code, and which model version made them, with timings in microseconds.
 *
 * @param denoised output pixels in [0,1], same height/width/streamId/frameId as the input
 * @param latent the model's latent code (length = the card's latentDim)
 * @param model model name
 * @param modelVersion the version that produced this result
 * @param queueMicros time from arrival at the batcher to the start of the ONNX Runtime run
 * @param computeMicros duration of the ONNX Runtime run of the whole batch
 * @param batchSize frames in that run
 * @param noiseSigma the estimated noise sigma of the input frame, 0-255 scale (NaN: not measured)
 */
public record InferenceResult(
    Frame denoised,
    float[] latent,
    String model,
    long modelVersion,
    long queueMicros,
    long computeMicros,
    int batchSize,
    double noiseSigma) {

  /** The noise sigma as a header value: two decimals, or null when not measured. */
  public String noiseSigmaText() {
    return Double.isFinite(noiseSigma)
        ? String.format(java.util.Locale.ROOT, "%.2f", noiseSigma)
        : null;
  }
}
