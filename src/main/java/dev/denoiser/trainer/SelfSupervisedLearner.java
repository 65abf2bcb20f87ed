package dev.denoiser.trainer;

import dev.denoiser.frame.Frame;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The learning half of a self-supervised run: fine-tunes the serving model's ONNX on noisy frames
 * only, and estimates, without clean frames, the PSNR of the serving model and of the candidate on
 * frames it never trained on. Blocking; runs on the trainer's worker.
 */
interface SelfSupervisedLearner {
  /**
   * @param servingOnnx the serving version's ONNX bytes
   * @param train sampled noisy frames to learn from
   * @param gate sampled noisy frames held back for the gate
   * @param params the run's parameters (epochs, learningRate, batchSize, seed)
   * @param progress the run's progress listener (stops the loop when the run is cancelled)
   */
  Outcome learn(
      byte[] servingOnnx,
      List<Frame> train,
      List<Frame> gate,
      TrainParams params,
      RunProgress progress)
      throws Exception;

  /**
   * What a learning step made.
   *
   * @param candidateOnnx the candidate's ONNX bytes
   * @param sigma the noise sigma the learning assumed, 0-255 scale
   * @param servingPsnr the gate's estimate of the serving model's PSNR on the held-back frames, dB
   * @param candidatePsnr the same estimate for the candidate, dB
   * @param trainSeconds time spent training
   * @param better the gate's verdict: the candidate is estimated better than the serving model
   * @param report the gate's full report (estimator, numbers), recorded in the card
   */
  record Outcome(
      byte[] candidateOnnx,
      double sigma,
      double servingPsnr,
      double candidatePsnr,
      double trainSeconds,
      boolean better,
      JsonObject report) {}
}
