package dev.denoiser.inference;

import dev.denoiser.frame.Frame;
import java.util.Arrays;

/**
 * The noise level of one frame, as the worker reports it for every frame it runs: the standard
 * deviation of additive Gaussian noise, on the 0-255 scale. Frames larger than
 * {@link #MAX_SIDE} on a side are measured on their central {@code MAX_SIDE x MAX_SIDE} crop, so
 * the cost stays at about a quarter million values; colour frames are the mean of their planes.
 */
public final class FrameNoise {
  /** Largest side measured; larger frames are cropped around their centre. */
  public static final int MAX_SIDE = 512;

  private FrameNoise() {}

  /** Sigma of {@code f} on the 0-255 scale; 0 for frames smaller than 2x2. */
  public static double sigma(Frame f) {
    int h = Math.min(f.height(), MAX_SIDE);
    int w = Math.min(f.width(), MAX_SIDE);
    if (h < 2 || w < 2) {
      return 0;
    }
    int top = (f.height() - h) / 2;
    int left = (f.width() - w) / 2;
    int planeSize = f.height() * f.width();
    double sum = 0;
    float[] plane = new float[h * w];
    for (int c = 0; c < f.channels(); c++) {
      int base = c * planeSize;
      for (int y = 0; y < h; y++) {
        int from = base + (top + y) * f.width() + left;
        for (int x = 0; x < w; x++) {
          plane[y * w + x] = f.pixels()[from + x] * 255f;
        }
      }
      sum += estimate(plane, w, h);
    }
    return sum / f.channels();
  }

  /**
   * Donoho's estimate: the median absolute value of the finest diagonal Haar band over 0.6745.
   * {@code plane} is row-major {@code h x w} on the 0-255 scale.
   */
  static double estimate(float[] plane, int w, int h) {
    int bw = w / 2;
    int bh = h / 2;
    float[] d = new float[bw * bh];
    int k = 0;
    for (int y = 0; y < bh; y++) {
      int r0 = 2 * y * w;
      int r1 = r0 + w;
      for (int x = 0; x < bw; x++) {
        int i = 2 * x;
        d[k++] = Math.abs(plane[r0 + i] - plane[r0 + i + 1] - plane[r1 + i] + plane[r1 + i + 1]) * 0.5f;
      }
    }
    Arrays.sort(d);
    double median = d.length % 2 == 1 ? d[d.length / 2] : 0.5 * (d[d.length / 2 - 1] + d[d.length / 2]);
    return median / 0.6745;
  }
}
