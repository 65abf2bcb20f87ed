package dev.denoiser.trainer;

import dev.denoiser.config.Settings;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;

/** The learning step of self-supervised runs, on the model layer's self-supervised refresh. */
final class SelfSupervisedRefreshLearner {
  private SelfSupervisedRefreshLearner() {}

  static SelfSupervisedLearner create(Settings s) {
    return (onnx, train, gate, params, progress) -> {
      throw new DenoiserException(ErrorCode.INTERNAL, "self-supervised learning is not available yet");
    };
  }
}
