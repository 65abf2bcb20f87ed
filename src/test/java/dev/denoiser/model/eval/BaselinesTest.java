package dev.denoiser.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BaselinesTest {

  @Test
  void totalVariationReducesTheErrorOfANoisyImage() {
    Image clean = Synthetic.scene(96, 64, 1);
    Image noisy = NaturalTestSet.noisy(clean, 25, 42L);
    double before = NaturalTestSet.psnr(clean, noisy);
    double after = NaturalTestSet.psnr(clean, new TotalVariation(20).denoise(noisy));
    assertTrue(after > before + 5, "TV " + after + " dB vs noisy " + before + " dB");
  }

  @Test
  void totalVariationKeepsAFlatImageAndWorksPerChannel() {
    float[] v = new float[3 * 20 * 10];
    java.util.Arrays.fill(v, 120f);
    Image out = new TotalVariation(30).denoise(new Image(20, 10, 3, v));
    assertEquals(3, out.channels());
    for (float x : out.data()) {
      assertEquals(120f, x, 1e-3f);
    }
  }

  @Test
  void strongerTotalVariationSmoothsMore() {
    Image noisy = NaturalTestSet.noisy(Synthetic.scene(64, 48, 1), 25, 3L);
    double weak = variation(new TotalVariation(5).denoise(noisy));
    double strong = variation(new TotalVariation(60).denoise(noisy));
    assertTrue(strong < weak, strong + " < " + weak);
  }

  @Test
  void medianRemovesAnImpulseAndBlurKeepsAFlatImage() {
    float[] v = new float[25];
    java.util.Arrays.fill(v, 50f);
    v[12] = 255f;
    Image img = new Image(5, 5, 1, v);
    assertEquals(50f, new Median(3).denoise(img).data()[12]);
    float[] flat = new float[30];
    java.util.Arrays.fill(flat, 80f);
    for (float x : new GaussianBlur(1.5).denoise(new Image(6, 5, 1, flat)).data()) {
      assertEquals(80f, x, 1e-3f);
    }
  }

  @Test
  void blurAndMedianBeatTheNoisyInput() {
    Image clean = Synthetic.scene(80, 60, 1);
    Image noisy = NaturalTestSet.noisy(clean, 25, 5L);
    double before = NaturalTestSet.psnr(clean, noisy);
    assertTrue(NaturalTestSet.psnr(clean, new GaussianBlur(1).denoise(noisy)) > before + 3);
    assertTrue(NaturalTestSet.psnr(clean, new Median(3).denoise(noisy)) > before + 3);
  }

  private static double variation(Image img) {
    double s = 0;
    float[] d = img.data();
    for (int y = 0; y < img.height(); y++) {
      for (int x = 1; x < img.width(); x++) {
        s += Math.abs(d[y * img.width() + x] - d[y * img.width() + x - 1]);
      }
    }
    return s;
  }
}
