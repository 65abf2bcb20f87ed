package dev.denoiser.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.denoiser.data.ImageSet;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceBufferTest {
  @TempDir Path dir;

  static byte[] frame(int n) {
    byte[] f = new byte[ReferenceBuffer.PIXELS];
    java.util.Arrays.fill(f, (byte) n);
    return f;
  }

  @Test
  void keepsTheNewestFramesUpToItsCapacityAcrossRestarts() throws Exception {
    Path file = dir.resolve("sub").resolve("ref.bin");
    try (ReferenceBuffer b = ReferenceBuffer.open(file, 5)) {
      for (int i = 0; i < 8; i++) {
        b.add(frame(i));
      }
      b.flush();
      assertEquals(5, b.count());
      assertEquals(8, b.total());
    }
    try (ReferenceBuffer b = ReferenceBuffer.open(file, 5)) {
      assertEquals(5, b.count(), "persisted");
      assertEquals(8, b.total());
      ReferenceBuffer.Split s = b.split(0);
      assertEquals(5, s.train().count());
      for (int i = 0; i < 5; i++) {
        assertEquals(3 + i, s.train().gray8(i)[0], "frames 3..7 in arrival order");
      }
      b.add(frame(8));
    }
    try (ReferenceBuffer b = ReferenceBuffer.open(file, 3)) {
      assertEquals(3, b.count(), "a smaller capacity keeps the newest");
      ReferenceBuffer.Split s = b.split(0);
      assertEquals(6, s.train().gray8(0)[0]);
      assertEquals(8, s.train().gray8(2)[0]);
    }
  }

  @Test
  void holdsOutEveryNthFrameTheSameWayEveryTime() throws Exception {
    Path file = dir.resolve("ref.bin");
    try (ReferenceBuffer b = ReferenceBuffer.open(file, 100)) {
      for (int i = 0; i < 12; i++) {
        b.add(frame(i));
      }
      ReferenceBuffer.Split s = b.split(5);
      ImageSet hold = s.holdout();
      assertEquals(3, hold.count());
      assertEquals(0, hold.gray8(0)[0]);
      assertEquals(5, hold.gray8(1)[0]);
      assertEquals(10, hold.gray8(2)[0]);
      assertEquals(9, s.train().count());
      assertEquals(1, s.train().gray8(0)[0]);
    }
  }
}
