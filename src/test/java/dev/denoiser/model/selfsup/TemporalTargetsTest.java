package dev.denoiser.model.selfsup;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.frame.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The temporal targets of a still camera's frames: close to the clean scene where it stands still
 * (much closer than the frame itself), never on something that moves, and none for a moving camera
 * or too few frames.
 */
class TemporalTargetsTest {
  static final int H = 64;
  static final int W = 96;
  static final double SIGMA = 25;

  /** A smooth scene in 40..215 of 255, shifted {@code dx} pixels to the left. */
  static float[] scene(int dx) {
    float[] px = new float[H * W];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int u = x + dx;
        px[y * W + x] =
            (float)
                ((127.5
                        + 60 * Math.sin(u / 7.0) * Math.cos(y / 5.0)
                        + 27 * Math.sin(u / 3.0 + y / 4.0))
                    / 255);
      }
    }
    return px;
  }

  /** The scene with a white 16x16 square at column {@code 4 k}, rows 8-23. */
  static float[] withSquare(float[] scene, int k) {
    float[] px = scene.clone();
    for (int y = 8; y < 24; y++) {
      for (int x = 4 * k; x < 4 * k + 16 && x < W; x++) {
        px[y * W + x] = 1f;
      }
    }
    return px;
  }

  static Frame noisy(float[] clean, long seed) {
    return RefreshScenario.noisy(new Frame(clean, H, W), SIGMA, seed);
  }

  static RefreshOptions opts() {
    return RefreshOptions.defaults().withObjective(Objective.TEMPORAL, true).withBatch(4, 32);
  }

  @Test
  void stillPixelsGetTheSceneAndMovingOnesNoTarget() {
    float[] scene = scene(0);
    List<Frame> frames = new ArrayList<>();
    List<float[]> clean = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      clean.add(withSquare(scene, k));
      frames.add(noisy(clean.get(k), 50 + k));
    }
    TemporalTargets t = TemporalTargets.of(frames, SIGMA, opts());
    assertNotNull(t, "20 frames of a still camera");
    double targetErr = 0;
    double frameErr = 0;
    long n = 0;
    int onSquare = 0;
    for (int k = 0; k < 20; k++) {
      float[] c = clean.get(k);
      float[] y = frames.get(k).pixels();
      for (int p = 0; p < H * W; p++) {
        float v = t.target(k, p);
        int row = p / W;
        int col = p % W;
        boolean square = row >= 8 && row < 24 && col >= 4 * k && col < 4 * k + 16;
        if (Float.isNaN(v)) {
          continue;
        }
        if (square) {
          onSquare++;
        }
        targetErr += (v - c[p]) * (v - c[p]);
        frameErr += (y[p] - c[p]) * (y[p] - c[p]);
        n++;
      }
    }
    double targetRms = 255 * Math.sqrt(targetErr / n);
    double frameRms = 255 * Math.sqrt(frameErr / n);
    assertTrue(onSquare == 0, onSquare + " pixels of the moving square got a target");
    assertTrue(t.usedFraction() > 0.6, "used " + t.usedFraction());
    // 19 other frames: about sigma / sqrt(19) = 5.7; the frame itself is about 25 off.
    assertTrue(targetRms < 8, "targets " + targetRms + " off the clean scene");
    assertTrue(frameRms > 20, "frames " + frameRms + " off the clean scene");
  }

  @Test
  void aMovingCameraOrTooFewFramesHaveNoTemporalTargets() {
    List<Frame> panned = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      panned.add(noisy(scene(3 * k), 70 + k));
    }
    assertNull(TemporalTargets.of(panned, SIGMA, opts()), "a panning camera");
    List<Frame> few = new ArrayList<>();
    for (int k = 0; k < 7; k++) {
      few.add(noisy(scene(0), 90 + k));
    }
    assertNull(TemporalTargets.of(few, SIGMA, opts()), "7 frames");
  }

  @Test
  void differentDigitsAreNotAStillScene() {
    dev.denoiser.data.ImageSet test = dev.denoiser.data.Mnist.locate(null).test();
    List<Frame> digits = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      digits.add(RefreshScenario.noisy(MnistRefreshScenario.digit(test, i), 178.5, 7000 + i));
    }
    assertNull(TemporalTargets.of(digits, 178.5, opts().withBatch(4, 12)), "60 different digits");
  }

  @Test
  void aTemporalRefreshOnAPanningFeedFallsBackToTheBootstrap() {
    SplittableRandom rng = new SplittableRandom(3);
    List<Frame> panned = new ArrayList<>();
    for (int k = 0; k < 12; k++) {
      panned.add(noisy(scene(rng.nextInt(40)), 110 + k));
    }
    SelfSupervisedRefresh.Result r =
        SelfSupervisedRefresh.run(
            RefreshScenario.SERVING,
            null,
            panned,
            opts().withSteps(2).withGateFrames(2),
            dev.denoiser.model.TrainListener.NONE);
    assertTrue(r.trained().startsWith("bootstrap"), r.trained());
    assertTrue(r.trained().contains("temporal fell back"), r.trained());
  }
}
