package dev.denoiser.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.frame.Frame;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-frame noise estimate on frames of known Gaussian noise. */
class FrameNoiseTest {
  /**
   * A smooth scene (gradients and a soft blob) plus Gaussian noise of {@code sigma} (0-255),
   * clipped.
   */
  static Frame noisy(int h, int w, int channels, double sigma, long seed) {
    Random rnd = new Random(seed);
    float[] px = new float[channels * h * w];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double clean =
              0.3
                  + 0.3 * x / w
                  + 0.2 * Math.sin(y / 17.0 + c)
                  + 0.1
                      * Math.exp(
                          -((x - w / 2.0) * (x - w / 2.0) + (y - h / 2.0) * (y - h / 2.0)) / 400.0);
          double v = clean + rnd.nextGaussian() * sigma / 255.0;
          px[(c * h + y) * w + x] = (float) Math.max(0, Math.min(1, v));
        }
      }
    }
    return new Frame(px, h, w, null, null, channels);
  }

  @Test
  void estimatesKnownGaussianNoise() {
    for (double sigma : new double[] {5, 15, 25, 40, 75}) {
      double est = FrameNoise.sigma(noisy(288, 384, 1, sigma, (long) sigma));
      assertEquals(sigma, est, 0.1 * sigma, "sigma " + sigma + " estimated as " + est);
    }
  }

  @Test
  void aCleanFrameHasAlmostNoNoise() {
    assertTrue(FrameNoise.sigma(noisy(64, 64, 1, 0, 1)) < 1.0);
  }

  @Test
  void colourAndLargeFramesAreMeasured() {
    double rgb = FrameNoise.sigma(noisy(96, 128, 3, 20, 3));
    assertEquals(20, rgb, 2.0);
    double large = FrameNoise.sigma(noisy(1500, 1100, 1, 10, 4));
    assertEquals(10, large, 1.0);
    assertTrue(
        Double.isNaN(FrameNoise.sigma(new Frame(new float[] {0.5f}, 1, 1))),
        "too small to measure");
  }
}
