package dev.denoiser.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.NaturalImages;
import dev.denoiser.data.VideoFrames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The temporal noise estimate of a still camera: on frames of vtest.avi (people walk through a
 * still scene) with 8-bit clipped Gaussian noise it is far closer to the added sigma than the
 * per-frame estimate, and frames of a moving camera make it refuse (NaN).
 */
class TemporalNoiseEstimateTest {
  static final int W = 768;
  static final int H = 576;

  static List<float[]> video(int count, int every) throws Exception {
    List<byte[]> raw =
        VideoFrames.read(NaturalImages.defaultDir().resolve("opencv/vtest.avi"), W, H, count);
    List<float[]> out = new ArrayList<>();
    for (int k = 0; k < raw.size(); k += every) {
      out.add(NoiseEstimateTest.toFloat(raw.get(k)));
    }
    return out;
  }

  static List<Frame> noisy(List<float[]> clean, double sigma) {
    List<Frame> out = new ArrayList<>();
    for (int k = 0; k < clean.size(); k++) {
      out.add(new Frame(NoiseEstimateTest.noisy(clean.get(k), sigma, 500 + k), H, W));
    }
    return out;
  }

  @Test
  void stillCameraGivesTheSigmaWithinOnePercent() throws Exception {
    List<float[]> clean = video(240, 6);
    for (double sigma : new double[] {25, 75}) {
      List<Frame> frames = noisy(clean, sigma);
      TemporalNoiseEstimate.Result r = TemporalNoiseEstimate.estimate(frames);
      System.out.printf(
          "sigma %.0f: temporal %.2f (still cells %.3f, %d frames), per-frame %.2f%n",
          sigma, r.sigma(), r.stillFraction(), r.frames(), r.spatialSigma());
      assertTrue(r.valid());
      assertTrue(r.stillFraction() > 0.9, "still fraction " + r.stillFraction());
      assertEquals(sigma, r.sigma(), sigma * 0.01, "temporal estimate");
      assertTrue(
          Math.abs(r.sigma() - sigma) < Math.abs(r.spatialSigma() - sigma),
          "temporal " + r.sigma() + " closer than per-frame " + r.spatialSigma());
    }
  }

  @Test
  void movingCameraIsRefused() throws Exception {
    float[] still = video(1, 1).get(0);
    int h = 384;
    int w = 512;
    List<Frame> frames = new ArrayList<>();
    for (int k = 0; k < 24; k++) {
      // A pan: each frame is a crop 8 pixels further right and 4 further down.
      int x0 = 8 * k;
      int y0 = 4 * k;
      float[] crop = new float[h * w];
      for (int y = 0; y < h; y++) {
        System.arraycopy(still, (y0 + y) * W + x0, crop, y * w, w);
      }
      frames.add(new Frame(NoiseEstimateTest.noisy(crop, 25, 900 + k), h, w));
    }
    TemporalNoiseEstimate.Result r = TemporalNoiseEstimate.estimate(frames);
    assertFalse(r.valid(), "a pan is not a still camera: " + r);
    assertTrue(r.stillFraction() < TemporalNoiseEstimate.MIN_STATIC);
  }

  @Test
  void tooFewFramesOfOneSizeAreRefused() {
    List<Frame> frames = new ArrayList<>();
    for (int k = 0; k < TemporalNoiseEstimate.MIN_FRAMES - 1; k++) {
      frames.add(new Frame(new float[64 * 64], 64, 64));
    }
    frames.add(new Frame(new float[32 * 32], 32, 32));
    assertTrue(Double.isNaN(TemporalNoiseEstimate.sigma(frames)));
  }
}
