package dev.denoiser.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** PSNR, SSIM, the baseline filters and the checkerboard measure on images with known answers. */
class MetricsTest {
  @Test
  void psnrOfAKnownError() {
    float[] a = new float[100];
    float[] b = new float[100];
    Arrays.fill(b, 0.1f);
    assertEquals(20.0, Metrics.psnr(a, b, 0, 100), 1e-4);
    assertEquals(Metrics.MAX_PSNR, Metrics.psnr(a, a, 0, 100));
  }

  @Test
  void ssimIsOneForIdenticalAndLowerForNoisyImages() {
    float[] img = new float[28 * 28];
    for (int i = 0; i < img.length; i++) {
      img[i] = ((i / 28) / 4 + (i % 28) / 4) % 2;
    }
    assertEquals(1.0, Metrics.ssim(img, img, 0, 28, 28), 1e-9);
    float[] noisy = dev.denoiser.data.Noise.gaussian(0.3).apply(img, 784, 1);
    double s = Metrics.ssim(noisy, img, 0, 28, 28);
    assertTrue(s < 0.95 && s > 0, "ssim " + s);
    assertTrue(
        s < Metrics.ssim(dev.denoiser.data.Noise.gaussian(0.1).apply(img, 784, 1), img, 0, 28, 28));
  }

  @Test
  void medianRemovesAnIsolatedSpeckAndBlurKeepsFlatImages() {
    float[] img = new float[9 * 9];
    img[40] = 1;
    float[] m = Filters.median3(img, 1, 9, 9);
    for (float v : m) {
      assertEquals(0f, v);
    }
    float[] flat = new float[9 * 9];
    Arrays.fill(flat, 0.25f);
    for (float v : Filters.gaussianBlur(flat, 1, 9, 9, 1.3)) {
      assertEquals(0.25f, v, 1e-6);
    }
  }

  @Test
  void nyquistMeasuresAlternatingPatterns() {
    int n = 64;
    float[] flat = new float[n * n];
    Arrays.fill(flat, 0.5f);
    assertEquals(0, Checkerboard.nyquist(flat, n, n, 16), 1e-9);
    float[] board = new float[n * n];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        board[y * n + x] = 0.5f + ((x + y) % 2 == 0 ? 0.1f : -0.1f);
      }
    }
    // Only the (pi,pi) component, amplitude 0.1: RMS over three components is 0.1/sqrt(3).
    assertEquals(0.1 / Math.sqrt(3), Checkerboard.nyquist(board, n, n, 16), 1e-6);
  }

  @Test
  void upsamplingDecodersCannotMakeACheckerboardTransposedOnesDo() {
    // Nearest upsampling of a flat map is flat, so conv-upsample's interior response to flat grey
    // is flat whatever its weights; a stride-2 transposed conv with a 3x3 kernel sums different
    // kernel taps into even and odd pixels.
    try (NetModel up = NetModel.init(new NetSpec("conv-upsample", 8, 8, 0, 0), 1);
        NetModel tr = NetModel.init(new NetSpec("conv-transpose", 8, 8, 0, 0), 1)) {
      assertTrue(Checkerboard.nyquist(up) < 1e-6, "upsample " + Checkerboard.nyquist(up));
      assertTrue(Checkerboard.nyquist(tr) > 1e-4, "transpose " + Checkerboard.nyquist(tr));
    }
  }
}
