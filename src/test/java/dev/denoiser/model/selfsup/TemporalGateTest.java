package dev.denoiser.model.selfsup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.frame.Frame;
import dev.denoiser.model.OrtModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gate's absolute PSNR with only what the feed gives: natural-gray on vtest.avi at sigma 75,
 * sigma estimated from 60 noisy frames of the still camera ({@link SelfSupervisedRefresh#sigmaOf}),
 * SURE on two later frames within 0.5 dB of their true PSNR; the per-frame sigma estimate misses by
 * more.
 */
class TemporalGateTest {
  @Test
  void theGateEstimatesTheTruePsnrWithAnEstimatedSigma() throws Exception {
    RefreshScenario.Split s = RefreshScenario.split(75, 10, 2);
    List<Frame> feed = s.trainNoisy();
    SelfSupervisedRefresh.Sigma sigma = SelfSupervisedRefresh.sigmaOf(feed);
    double perFrame = SelfSupervisedRefresh.estimateSigma(feed);
    assertEquals("temporal", sigma.source());
    try (OrtModel serving = new OrtModel(RefreshScenario.SERVING, 1)) {
      Denoiser sv = Denoiser.of(serving);
      double truth = ClippedSure.truePsnr(sv, s.evalNoisy(), s.evalClean());
      double gate = ClippedSure.estimatePsnr(sv, sv, s.evalNoisy(), sigma.value(), 5);
      double old = ClippedSure.estimatePsnr(sv, sv, s.evalNoisy(), perFrame, 5);
      System.out.printf(
          "sigma 75: temporal %.2f, per-frame %.2f; true PSNR %.2f, gate %.2f (per-frame sigma"
              + " %.2f)%n",
          sigma.value(), perFrame, truth, gate, old);
      assertEquals(truth, gate, 0.5, "gate PSNR with the temporal sigma");
      assertTrue(Math.abs(old - truth) > Math.abs(gate - truth), "the temporal sigma is better");
    }
  }
}
