package dev.denoiser.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real MNIST files (from -Dmnist.dir), the shipped sample, and a broken data directory. */
class MnistTest {
  @Test
  void testSetHasTenThousandDigitsAndTheSampleIsItsHead() {
    ImageSet test = Mnist.locate(null).test();
    assertEquals(10000, test.count());
    assertEquals(28, test.height());
    ImageSet sample = SampleDigits.load();
    assertEquals(SampleDigits.COUNT, sample.count());
    for (int i : new int[] {0, 123, 499}) {
      assertEquals(test.label(i), sample.label(i));
      assertEquals(
          java.util.Arrays.toString(test.image(i)), java.util.Arrays.toString(sample.image(i)));
    }
    float[] d = SampleDigits.digit(0);
    double max = 0;
    for (float v : d) {
      assertTrue(v >= 0 && v <= 1);
      max = Math.max(max, v);
    }
    assertEquals(1.0, max, 1e-6);
  }

  @Test
  void missingDirectoryAndCorruptFileNameTheFetchCommand(@TempDir Path dir) throws Exception {
    DataException missing =
        assertThrows(DataException.class, () -> new Mnist(dir.resolve("absent")).test());
    assertTrue(missing.getMessage().contains("fetch-mnist.sh"), missing.getMessage());

    Files.write(dir.resolve("t10k-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0, 0});
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
    DataException corrupt = assertThrows(DataException.class, () -> new Mnist(dir).test());
    assertTrue(corrupt.getMessage().contains("corrupt"), corrupt.getMessage());
    assertTrue(corrupt.getMessage().contains("fetch-mnist.sh"), corrupt.getMessage());
  }

  @Test
  void explicitDirectoryWinsOverTheProperty() {
    Path p = Path.of("/some/where");
    assertEquals(p, Mnist.locate(p).dir());
  }
}
