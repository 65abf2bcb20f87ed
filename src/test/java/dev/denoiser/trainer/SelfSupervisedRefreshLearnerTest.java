package dev.denoiser.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.denoiser.frame.Frame;
import dev.denoiser.model.selfsup.Objective;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The patch side a self-supervised run trains on, from the sampled frames' sizes. */
class SelfSupervisedRefreshLearnerTest {
  static List<Frame> frames(int h, int w) {
    return List.of(new Frame(new float[h * w], h, w), new Frame(new float[h * w], h, w));
  }

  @Test
  void digitsAreTrainedWholeExceptByNeighbor2Neighbor() {
    List<Frame> digits = frames(28, 28);
    assertEquals(28, SelfSupervisedRefreshLearner.patch(digits, Objective.BOOTSTRAP));
    assertEquals(28, SelfSupervisedRefreshLearner.patch(digits, Objective.R2R));
    assertEquals(12, SelfSupervisedRefreshLearner.patch(digits, Objective.N2N));
  }

  @Test
  void largeFramesGive64AndTheSmallestFrameBounds() {
    assertEquals(64, SelfSupervisedRefreshLearner.patch(frames(576, 768), Objective.BOOTSTRAP));
    assertEquals(64, SelfSupervisedRefreshLearner.patch(frames(576, 768), Objective.N2N));
    List<Frame> mixed =
        List.of(new Frame(new float[576 * 768], 576, 768), new Frame(new float[50 * 90], 50, 90));
    assertEquals(48, SelfSupervisedRefreshLearner.patch(mixed, Objective.BOOTSTRAP));
    assertEquals(24, SelfSupervisedRefreshLearner.patch(mixed, Objective.N2N));
  }
}
