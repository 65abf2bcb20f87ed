package dev.denoiser.frame;

/**
 * Reflection of pixel indices past an image's edge, without repeating the edge pixel (numpy's
 * {@code reflect}: ... 2 1 | 0 1 2 ... n-1 | n-2 n-3 ...). One definition for the worker's padding
 * and tiles and for the evaluation's filters and padding.
 */
public final class Mirror {
  private Mirror() {}

  /** Maps any integer index into [0, n) by reflection about the first and last element. */
  public static int index(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int period = 2 * (n - 1);
    int m = Math.floorMod(i, period);
    return m < n ? m : period - m;
  }
}
