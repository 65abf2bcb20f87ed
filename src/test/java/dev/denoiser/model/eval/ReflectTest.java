package dev.denoiser.model.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ReflectTest {

  @Test
  void padThenCropRoundTrips() {
    Random r = new Random(1);
    float[] v = new float[3 * 7 * 5];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextInt(256);
    }
    Image img = new Image(5, 7, 3, v);
    Image padded = Reflect.padToMultiple(img, 4);
    assertEquals(8, padded.width());
    assertEquals(8, padded.height());
    assertArrayEquals(v, padded.crop(0, 0, 5, 7).data());
    // column 5 mirrors column 3, row 7 mirrors row 5, per channel
    int p = 64;
    assertEquals(v[35 + 2 * 5 + 3], padded.data()[p + 2 * 8 + 5]);
    assertEquals(v[2 * 35 + 5 * 5 + 1], padded.data()[2 * p + 7 * 8 + 1]);
  }

  @Test
  void padsFarBeyondTheImage() {
    Image img = new Image(3, 2, 1, new float[] {1, 2, 3, 4, 5, 6});
    Image big = Reflect.pad(img, 9, 5);
    assertArrayEquals(new float[] {1, 2, 3, 2, 1, 2, 3, 2, 1}, big.crop(0, 0, 9, 1).data());
    assertArrayEquals(new float[] {4, 5, 6, 5, 4, 5, 6, 5, 4}, big.crop(0, 1, 9, 1).data());
    assertArrayEquals(new float[] {1, 2, 3, 2, 1, 2, 3, 2, 1}, big.crop(0, 2, 9, 1).data());
    assertArrayEquals(img.data(), Reflect.pad(img, 3, 2).data());
  }
}
