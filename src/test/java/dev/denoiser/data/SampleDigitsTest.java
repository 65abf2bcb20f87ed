package dev.denoiser.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SampleDigitsTest {
  @Test
  void shipsFiveHundredLabelledDigits() {
    ImageSet d = SampleDigits.load();
    assertEquals(500, d.count());
    assertEquals(28, d.height());
    assertEquals(7, d.label(0), "the first MNIST test digit is a 7");
    float[] px = d.image(0);
    double ink = 0;
    for (float v : px) {
      assertTrue(v >= 0 && v <= 1);
      ink += v;
    }
    assertTrue(ink > 50 && ink < 250, "a digit has some ink: " + ink);
  }
}
