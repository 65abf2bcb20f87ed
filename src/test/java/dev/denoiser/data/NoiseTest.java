package dev.denoiser.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Noise specs parse and print back, noise is seeded, clipped, and of the right strength. */
class NoiseTest {
  @Test
  void specsRoundTrip() {
    for (String s :
        new String[] {"gaussian:0.5", "sp:0.1", "mix:0.3:0.05", "none", "gaussian:0.05..0.6"}) {
      assertEquals(s, Noise.parse(s).spec());
    }
    for (String bad :
        new String[] {
          "", "gauss", "gaussian", "gaussian:x", "sp:2", "mix:0.1", "gaussian:0.5..0.1"
        }) {
      assertThrows(DataException.class, () -> Noise.parse(bad), bad);
    }
  }

  @Test
  void gaussianIsSeededClippedAndHasTheRightSpread() {
    float[] grey = new float[20000];
    Arrays.fill(grey, 0.5f);
    float[] a = Noise.gaussian(0.1).apply(grey, 100, 7);
    assertArrayEquals(a, Noise.gaussian(0.1).apply(grey, 100, 7));
    assertFalse(Arrays.equals(a, Noise.gaussian(0.1).apply(grey, 100, 8)));
    double sum = 0;
    double sq = 0;
    for (float v : a) {
      sum += v - 0.5;
      sq += (v - 0.5) * (v - 0.5);
    }
    assertEquals(0, sum / a.length, 0.005);
    assertEquals(0.1, Math.sqrt(sq / a.length), 0.005);
    float[] dark = Noise.gaussian(0.5).apply(new float[20000], 100, 1);
    double mean = 0;
    for (float v : dark) {
      assertTrue(v >= 0 && v <= 1);
      mean += v;
    }
    // Clipping at 0 biases a black background upwards: E[max(0, N(0, 0.5))] is about 0.2.
    assertEquals(0.5 / Math.sqrt(2 * Math.PI), mean / dark.length, 0.01);
  }

  @Test
  void saltAndPepperHitsTheAmountWithBothValues() {
    float[] grey = new float[50000];
    Arrays.fill(grey, 0.5f);
    float[] n = Noise.saltPepper(0.1).apply(grey, 500, 3);
    int salt = 0;
    int pepper = 0;
    for (float v : n) {
      salt += v == 1f ? 1 : 0;
      pepper += v == 0f ? 1 : 0;
    }
    assertEquals(0.05, salt / (double) n.length, 0.005);
    assertEquals(0.05, pepper / (double) n.length, 0.005);
  }

  @Test
  void aSigmaRangeDrawsOneSigmaPerImage() {
    float[] grey = new float[400 * 100];
    Arrays.fill(grey, 0.5f);
    float[] n = Noise.parse("gaussian:0.01..0.2").apply(grey, 400, 5);
    double lo = 1;
    double hi = 0;
    for (int i = 0; i < 100; i++) {
      double sq = 0;
      for (int k = 0; k < 400; k++) {
        double d = n[i * 400 + k] - 0.5;
        sq += d * d;
      }
      double s = Math.sqrt(sq / 400);
      lo = Math.min(lo, s);
      hi = Math.max(hi, s);
    }
    assertTrue(lo < 0.04 && hi > 0.17, lo + " " + hi);
  }
}
