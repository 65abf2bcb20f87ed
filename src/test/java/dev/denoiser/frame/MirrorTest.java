package dev.denoiser.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MirrorTest {
  @Test
  void reflectsWithoutRepeatingTheEdge() {
    assertEquals(1, Mirror.index(-1, 5));
    assertEquals(2, Mirror.index(-2, 5));
    assertEquals(3, Mirror.index(5, 5));
    assertEquals(0, Mirror.index(8, 5));
    assertEquals(1, Mirror.index(9, 5));
    assertEquals(0, Mirror.index(7, 1));
    assertEquals(0, Mirror.index(3, 1));
  }
}
