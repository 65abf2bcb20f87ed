package dev.denoiser.frame;

/**
 * The eight symmetries of a square patch (bit 1 flips the rows, bit 2 the columns, bit 4 then swaps
 * rows and columns), as source indices: one definition for the training patches cut from photos and
 * from a feed's frames.
 */
public final class Symmetry {
  private Symmetry() {}

  /**
   * Fills {@code idx} with the source pixel, in a plane {@code width} wide, of every pixel of the
   * {@code size}-square patch at ({@code y0}, {@code x0}) under symmetry {@code t}.
   */
  public static void indices(int y0, int x0, int width, int size, int t, int[] idx) {
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int sy = (t & 1) == 0 ? y : size - 1 - y;
        int sx = (t & 2) == 0 ? x : size - 1 - x;
        if ((t & 4) != 0) {
          int tmp = sy;
          sy = sx;
          sx = tmp;
        }
        idx[y * size + x] = (y0 + sy) * width + x0 + sx;
      }
    }
  }
}
