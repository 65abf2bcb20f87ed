package dev.denoiser.model.selfsup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.Mnist;
import dev.denoiser.frame.Frame;
import dev.denoiser.model.ModelCard;
import dev.denoiser.model.OrtModel;
import dev.denoiser.model.TrainListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The refresh loop on MNIST digits end to end: conv-upsample serves test digits with 8-bit clipped
 * noise of sigma 0.7 (178.5), a short bootstrap refresh on whole digits runs from them with the
 * true sigma given, and the gate's estimates of the serving model and of the candidate on the 100
 * held-back digits are each within 1 dB of their true PSNR on the same digits (the PSNR of the mean
 * MSE, which is what the gate estimates here: at this noise a 28x28 digit's own SURE estimate is
 * often negative, and a mean of per-digit PSNRs would have counted those digits as 100 dB). SURE's
 * own spread on 100 digits at this noise is about 0.5 dB.
 */
class MnistRefreshTest {
  static final double SIGMA = 178.5;

  @Test
  void theGateReadsBothModelsOnHeldBackDigits() throws Exception {
    MnistRefreshScenario.Split s =
        MnistRefreshScenario.split(Mnist.locate(null).test(), SIGMA, 300, 3, 1);
    RefreshOptions o =
        new RefreshOptions(
                Objective.BOOTSTRAP, true, 60, 16, 28, 3e-4, 1e-5, 1, 1, 0, s.gateFrames(), 0.1)
            .withSigma(SIGMA);
    Path serving = MnistRefreshScenario.SERVING;
    ModelCard card = ModelCard.read(serving.resolveSibling(ModelCard.FILE));
    SelfSupervisedRefresh.Result r =
        SelfSupervisedRefresh.run(serving, card, s.sample(), o, TrainListener.NONE);
    assertEquals(100, r.gate().frames());
    List<Frame> gateNoisy = s.sample().subList(200, 300);
    Path cand = Files.createTempFile("cand", ".onnx");
    try (OrtModel sv = new OrtModel(serving, 1)) {
      Files.write(cand, r.candidateOnnx());
      try (OrtModel cd = new OrtModel(cand, 1)) {
        double ts = pooledPsnr(Denoiser.of(sv), gateNoisy, s.gateClean());
        double tc = pooledPsnr(Denoiser.of(cd), gateNoisy, s.gateClean());
        String report =
            r.gate().toJson()
                + String.format(
                    " true serving %.2f candidate %.2f (mean per-digit PSNR %.2f, %.2f)",
                    ts,
                    tc,
                    ClippedSure.truePsnr(Denoiser.of(sv), gateNoisy, s.gateClean()),
                    ClippedSure.truePsnr(Denoiser.of(cd), gateNoisy, s.gateClean()));
        System.out.println(report);
        assertEquals(ts, r.gate().servingPsnr(), 1.0, report);
        assertEquals(tc, r.gate().candidatePsnr(), 1.0, report);
        double[] mses =
            ClippedSure.estimateMses(Denoiser.of(sv), Denoiser.of(sv), gateNoisy, SIGMA, 1);
        assertTrue(
            Arrays.stream(mses).anyMatch(m -> m <= 0),
            "some digits' own estimates are negative: " + Arrays.toString(mses));
      }
    } finally {
      Files.deleteIfExists(cand);
    }
  }

  /** The PSNR (dB, peak 1) of the mean MSE of {@code f} on noisy frames against clean ones. */
  static double pooledPsnr(Denoiser f, List<Frame> noisy, List<Frame> clean) {
    double mse = 0;
    for (int k = 0; k < noisy.size(); k++) {
      Frame y = noisy.get(k);
      float[] out = f.apply(y.pixels(), y.height(), y.width());
      float[] c = clean.get(k).pixels();
      for (int i = 0; i < c.length; i++) {
        double d = out[i] - c[i];
        mse += d * d / c.length / noisy.size();
      }
    }
    return 10 * Math.log10(1 / mse);
  }
}
