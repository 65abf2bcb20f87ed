package dev.denoiser.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The eight symmetries are eight different permutations of the patch's source pixels. */
class SymmetryTest {
  @Test
  void eightDistinctPermutationsOfThePatch() {
    int width = 10;
    int size = 4;
    Set<String> seen = new HashSet<>();
    int[] idx = new int[size * size];
    int[] plain = null;
    for (int t = 0; t < 8; t++) {
      Symmetry.indices(2, 3, width, size, t, idx);
      int[] sorted = idx.clone();
      Arrays.sort(sorted);
      if (plain == null) {
        plain = sorted;
        assertEquals(2 * width + 3, idx[0]);
        assertEquals(2 * width + 4, idx[1]);
        assertEquals(3 * width + 3, idx[size]);
      }
      assertEquals(Arrays.toString(plain), Arrays.toString(sorted), "symmetry " + t);
      seen.add(Arrays.toString(idx));
    }
    assertEquals(8, seen.size());
    Symmetry.indices(0, 0, width, size, 4, idx);
    assertEquals(width, idx[1], "a transpose reads down the first column");
  }
}
