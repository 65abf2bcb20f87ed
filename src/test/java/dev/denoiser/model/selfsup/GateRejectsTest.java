package dev.denoiser.model.selfsup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.frame.Frame;
import dev.denoiser.model.ModelCard;
import dev.denoiser.model.OrtModel;
import dev.denoiser.model.TrainListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A refresh that makes the model worse (a few steps at a far too high learning rate) is rejected by
 * the gate, which has only the noisy held-back frames; the clean frames confirm it was worse.
 */
class GateRejectsTest {
  @Test
  void aDamagingRefreshIsRejected() throws Exception {
    List<Frame> clean = ClippedSureTest.cleanCrops(10);
    List<Frame> noisy = new ArrayList<>();
    for (int i = 0; i < clean.size(); i++) {
      noisy.add(RefreshScenario.noisy(clean.get(i), 75, 300 + i));
    }
    RefreshOptions o =
        RefreshOptions.defaults()
            .withObjective(Objective.R2R, true)
            .withSteps(6)
            .withBatch(4, 64)
            .withLearningRate(0.02, 0.02)
            .withGateFrames(4);
    ModelCard card = ModelCard.read(RefreshScenario.SERVING.resolveSibling(ModelCard.FILE));
    SelfSupervisedRefresh.Result r =
        SelfSupervisedRefresh.run(RefreshScenario.SERVING, card, noisy, o, TrainListener.NONE);
    assertTrue(r.sigmaHat() > 60 && r.sigmaHat() < 90, "sigma estimate " + r.sigmaHat());
    assertFalse(r.gate().promote(), "gate " + r.gate().toJson());
    assertTrue(r.gate().gainDb() < 0, "gate " + r.gate().toJson());
    Path cand = Files.createTempFile("cand", ".onnx");
    try (OrtModel s = new OrtModel(RefreshScenario.SERVING, 1)) {
      Files.write(cand, r.candidateOnnx());
      try (OrtModel c = new OrtModel(cand, 1)) {
        List<Frame> gateNoisy = noisy.subList(6, 10);
        List<Frame> gateClean = clean.subList(6, 10);
        double ts = ClippedSure.truePsnr(Denoiser.of(s), gateNoisy, gateClean);
        double tc = ClippedSure.truePsnr(Denoiser.of(c), gateNoisy, gateClean);
        assertTrue(tc < ts, "the candidate is really worse: " + tc + " vs " + ts);
      }
    } finally {
      Files.deleteIfExists(cand);
    }
  }

  @Test
  void tooFewFramesOrColourFramesAreRefused() {
    RefreshOptions o = RefreshOptions.defaults().withGateFrames(4);
    List<Frame> few = List.of(new Frame(new float[64 * 64], 64, 64));
    assertThrows(
        IllegalArgumentException.class,
        () -> SelfSupervisedRefresh.run(RefreshScenario.SERVING, null, few, o, TrainListener.NONE));
    List<Frame> colour = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      colour.add(new Frame(new float[3 * 64 * 64], 64, 64, null, null, 3));
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SelfSupervisedRefresh.run(
                RefreshScenario.SERVING, null, colour, o, TrainListener.NONE));
  }
}
