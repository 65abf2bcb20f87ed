package dev.denoiser.trainer;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Noise;
import dev.denoiser.model.Evaluator;
import dev.denoiser.model.Models;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The promotion rule: score the candidate and the serving model through ONNX Runtime on the same
 * fixed holdout with the same noise (the serving card's, one fixed seed), and promote only if
 * {@code candidate PSNR >= serving PSNR - tolerance} (dB). The decision, with both scores, the
 * tolerance and the holdout, goes into the candidate's card under {@code gate}.
 */
final class ValidationGate {
  private final double tolerance;

  ValidationGate(double tolerance) {
    this.tolerance = tolerance;
  }

  /** The gate's verdict on one candidate. */
  record Decision(
      boolean promote,
      Evaluator.Score candidate,
      Evaluator.Score serving,
      long servingVersion,
      double tolerance,
      String noise,
      JsonObject holdout) {
    JsonObject toJson() {
      return new JsonObject()
          .put("decision", promote ? "promote" : "reject")
          .put("candidate", candidate.toJson())
          .put("serving", serving.toJson())
          .put("servingVersion", servingVersion)
          .put("deltaPsnr", Math.round((candidate.psnr() - serving.psnr()) * 1000) / 1000.0)
          .put("tolerance", tolerance)
          .put("noise", noise)
          .put("noiseSeed", Evaluator.SEED)
          .put("rule", "promote if candidate PSNR >= serving PSNR - tolerance (dB)")
          .put("holdout", holdout.copy());
    }
  }

  Decision judge(
      Path candidateOnnx,
      Path servingOnnx,
      long servingVersion,
      ImageSet holdout,
      Noise noise,
      JsonObject holdoutInfo) {
    Evaluator.Score cand = Models.evaluate(candidateOnnx, holdout, noise);
    Evaluator.Score serv = Models.evaluate(servingOnnx, holdout, noise);
    boolean promote = Double.isFinite(cand.psnr()) && cand.psnr() >= serv.psnr() - tolerance;
    return new Decision(
        promote,
        cand,
        serv,
        servingVersion,
        tolerance,
        noise.spec(),
        holdoutInfo.copy().put("images", holdout.count()));
  }
}
