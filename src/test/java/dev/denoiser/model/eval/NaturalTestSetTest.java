package dev.denoiser.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NaturalTestSetTest {

  private static Image of(float... v) {
    return new Image(v.length, 1, 1, v);
  }

  @Test
  void psnrOfKnownArrays() {
    assertEquals(0.0, NaturalTestSet.psnr(of(0, 0, 0, 0), of(255, 255, 255, 255)), 1e-9);
    // MSE 100: 10 log10(65025 / 100)
    assertEquals(28.1308, NaturalTestSet.psnr(of(0, 0, 0, 0), of(10, 10, 10, 10)), 1e-4);
    // MSE (0 + 0 + 400 + 0) / 4 = 100 as well
    assertEquals(28.1308, NaturalTestSet.psnr(of(5, 6, 7, 8), of(5, 6, 27, 8)), 1e-4);
    assertEquals(Double.POSITIVE_INFINITY, NaturalTestSet.psnr(of(1, 2), of(1, 2)));
  }

  @Test
  void psnrClipsTheOutputButDoesNotRoundIt() {
    assertEquals(Double.POSITIVE_INFINITY, NaturalTestSet.psnr(of(255, 0), of(300, -40)));
    // error 0.5 everywhere: MSE 0.25
    assertEquals(
        10 * Math.log10(65025 / 0.25), NaturalTestSet.psnr(of(10, 20), of(10.5f, 19.5f)), 1e-9);
  }

  @Test
  void seededNoiseIsReproducible() {
    Image clean = Synthetic.scene(40, 30, 1);
    Image a = NaturalTestSet.noisy("camera.png", clean, 25);
    Image b = NaturalTestSet.noisy("camera.png", clean, 25);
    assertArrayEquals(a.data(), b.data());
    assertFalse(Arrays.equals(a.data(), NaturalTestSet.noisy("moon.png", clean, 25).data()));
    assertNotEquals(
        NaturalTestSet.seed("camera.png", 25, 1), NaturalTestSet.seed("camera.png", 15, 1));
    assertNotEquals(
        NaturalTestSet.seed("coffee.png", 25, 1), NaturalTestSet.seed("coffee.png", 25, 3));
    double noisyPsnr = NaturalTestSet.psnr(clean, a);
    assertEquals(20.2, noisyPsnr, 0.6, "sigma 25 noise is about 20 dB");
  }

  @Test
  void noiseIsRoundedAndClippedToUint8() {
    float[] v = new float[2000];
    Arrays.fill(v, 0, 1000, 250f);
    Arrays.fill(v, 1000, 2000, 3f);
    Image noisy = NaturalTestSet.noisy(new Image(2000, 1, 1, v), 50, 7L);
    int at255 = 0;
    int at0 = 0;
    for (float x : noisy.data()) {
      assertTrue(x >= 0 && x <= 255, "in range: " + x);
      assertEquals(Math.rint(x), x, "integer: " + x);
      at255 += x == 255 ? 1 : 0;
      at0 += x == 0 ? 1 : 0;
    }
    assertTrue(
        at255 > 300 && at0 > 300, "clipping piles values at the ends: " + at0 + ", " + at255);
  }

  @Test
  void grayUsesBt601WeightsRounded() {
    Image rgb = new Image(3, 1, 3, new float[] {255, 0, 0, 0, 255, 0, 0, 0, 255});
    assertArrayEquals(new float[] {76, 150, 29}, NaturalTestSet.gray(rgb).data());
  }

  @Test
  void grayFilesKeepTheirStoredValues() {
    BufferedImage g = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    g.getRaster().setSample(0, 0, 0, 100);
    g.getRaster().setSample(1, 0, 0, 7);
    Image img = NaturalTestSet.fromBuffered(g);
    assertEquals(1, img.channels());
    assertArrayEquals(new float[] {100, 7}, img.data());
    BufferedImage c = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    c.setRGB(0, 0, 0x102030);
    assertArrayEquals(new float[] {16, 32, 48}, NaturalTestSet.fromBuffered(c).data());
  }
}
