package dev.denoiser.model.selfsup;

import io.vertx.core.json.JsonObject;

/**
 * The gate's decision without clean frames: the estimated PSNR (dB) of the serving model and of the
 * candidate on {@code frames} held-back noisy frames at noise {@code sigma} (0-255), and whether
 * the candidate gains at least {@code minGainDb}.
 */
public record GateReport(
    double servingPsnr,
    double candidatePsnr,
    double minGainDb,
    int frames,
    double sigma,
    boolean promote) {
  public double gainDb() {
    return candidatePsnr - servingPsnr;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("estimator", "clipped-sure")
        .put("servingPsnr", round(servingPsnr))
        .put("candidatePsnr", round(candidatePsnr))
        .put("gainDb", round(gainDb()))
        .put("minGainDb", minGainDb)
        .put("frames", frames)
        .put("sigma", round(sigma))
        .put("promote", promote);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
