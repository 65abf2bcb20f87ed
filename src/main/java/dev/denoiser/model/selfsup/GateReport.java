package dev.denoiser.model.selfsup;

import io.vertx.core.json.JsonObject;

/**
 * The gate's decision without clean frames: the estimated PSNR (dB) of the serving model and of the
 * candidate on {@code frames} held-back noisy frames at noise {@code sigma} (0-255), {@code
 * deltaMse} the mean per-frame difference of their estimated MSEs (candidate minus serving, [0,1]
 * scale: the {@code n sigma^2} term of SURE cancels in it, so an error in sigma hardly moves it),
 * {@code sigmaSource} how sigma was found, and whether the candidate gains at least {@code
 * minGainDb} with a negative {@code deltaMse}.
 */
public record GateReport(
    double servingPsnr,
    double candidatePsnr,
    double minGainDb,
    int frames,
    double sigma,
    boolean promote,
    double deltaMse,
    String sigmaSource) {
  /** A report without the MSE difference (NaN) or the sigma's source. */
  public GateReport(
      double servingPsnr,
      double candidatePsnr,
      double minGainDb,
      int frames,
      double sigma,
      boolean promote) {
    this(servingPsnr, candidatePsnr, minGainDb, frames, sigma, promote, Double.NaN, "given");
  }

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
        .put("deltaMse", Double.isNaN(deltaMse) ? null : deltaMse)
        .put("sigmaSource", sigmaSource)
        .put("promote", promote);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
