package dev.denoiser.model.selfsup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.VideoFrames;
import dev.denoiser.frame.Frame;
import dev.denoiser.model.OrtModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gate's PSNR estimate without clean frames, on crops of vtest.avi with 8-bit clipped Gaussian
 * noise, scoring the shipped natural-gray model through ONNX Runtime: within 0.5 dB of the true
 * PSNR at sigma 25 and 75, where plain SURE is more than 0.5 dB off at 75.
 */
class ClippedSureTest {
  static final int SIZE = 192;

  /** {@code count} SIZE x SIZE crops of frames spread over the last 150 of the video. */
  static List<Frame> cleanCrops(int count) throws Exception {
    List<byte[]> picked = new ArrayList<>();
    try (VideoFrames v = VideoFrames.open(RefreshScenario.VIDEO, 768, 576)) {
      byte[] b;
      for (int i = 0; (b = v.next()) != null; i++) {
        if (i >= 645 && (i - 645) % (150 / count) == 0 && picked.size() < count) {
          picked.add(b);
        }
      }
    }
    List<Frame> out = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      byte[] f = picked.get(k);
      int y0 = 96 + 96 * (k % 3);
      int x0 = 96 + 160 * (k % 4);
      float[] px = new float[SIZE * SIZE];
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          px[y * SIZE + x] = (f[(y0 + y) * 768 + x0 + x] & 0xff) / 255f;
        }
      }
      out.add(new Frame(px, SIZE, SIZE));
    }
    return out;
  }

  @Test
  void estimateIsWithinHalfADecibelAtSigma25And75() throws Exception {
    List<Frame> clean = cleanCrops(6);
    try (OrtModel m = new OrtModel(RefreshScenario.SERVING, 1)) {
      Denoiser f = Denoiser.of(m);
      StringBuilder table = new StringBuilder("sigma | true | clipped SURE | plain SURE\n");
      double plain75 = 0;
      double true75 = 0;
      for (double sigma : new double[] {25, 75}) {
        List<Frame> noisy = new ArrayList<>();
        for (int i = 0; i < clean.size(); i++) {
          noisy.add(RefreshScenario.noisy(clean.get(i), sigma, 100 + i));
        }
        double t = ClippedSure.truePsnr(f, noisy, clean);
        double e = ClippedSure.estimatePsnr(f, noisy, sigma, 3);
        double p = ClippedSure.plainSurePsnr(f, noisy, sigma, 3);
        table.append(String.format("%.0f | %.2f | %.2f | %.2f%n", sigma, t, e, p));
        assertEquals(t, e, 0.5, "sigma " + sigma + "\n" + table);
        if (sigma == 75) {
          plain75 = p;
          true75 = t;
        }
      }
      System.out.print(table);
      assertTrue(
          Math.abs(plain75 - true75) > 0.5,
          "plain SURE is off at 75 (the reason for the clipped one)\n" + table);
    }
  }

  @Test
  void aFrameEstimateBelowZeroMakesEverySetReadItsMeanMse() {
    double[] positive = {0.01, 0.001};
    assertEquals(25, ClippedSure.psnr(positive), 1e-9);
    double[] oneBelowZero = {0.021, -0.001};
    assertEquals(20, ClippedSure.psnr(oneBelowZero), 1e-9);
    double[] both = ClippedSure.psnrs(positive, oneBelowZero);
    assertEquals(10 * Math.log10(1 / 0.0055), both[0], 1e-9);
    assertEquals(20, both[1], 1e-9);
  }

  @Test
  void truncatedMomentsMatchTheirDefinition() {
    // N(10, 20^2) given u < 0.5: alpha = -0.475.
    double[] m = ClippedSure.truncatedBelow(10, 20, 0.5);
    double a = (0.5 - 10) / 20.0;
    double phi = Math.exp(-a * a / 2) / Math.sqrt(2 * Math.PI);
    double cdf = 0.3173; // Phi(-0.475)
    assertEquals(10 - 20 * phi / cdf, m[0], 0.05);
    assertTrue(m[0] < 0.5 && m[1] > 0 && m[1] < 400);
    double[] up = ClippedSure.truncatedAbove(245, 20, 254.5);
    assertEquals(-m[0] + 255, up[0], 0.05);
    assertEquals(m[1], up[1], 1e-6);
    double[] far = ClippedSure.truncatedBelow(300, 10, 0.5);
    assertTrue(far[0] < 0.5 && far[0] > -1, "far tail mean " + far[0]);
  }
}
