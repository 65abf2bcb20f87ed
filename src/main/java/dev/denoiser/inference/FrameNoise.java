package dev.denoiser.inference;

import dev.denoiser.frame.Frame;
import dev.denoiser.frame.NoiseEstimate;

/**
 * The noise level of one frame, as the worker reports it for every frame it runs: the {@link
 * NoiseEstimate} sigma of additive Gaussian noise, on the 0-255 scale. Frames larger than {@link
 * #MAX_SIDE} on a side are measured on their central {@code MAX_SIDE x MAX_SIDE} crop, so the cost
 * stays bounded (64 blocks; the estimate is a quantile over blocks, which 64 already pin down);
 * colour frames are the mean of their planes. Frames too small to measure (under one {@link
 * NoiseEstimate#BLOCK}-pixel block) give NaN.
 */
public final class FrameNoise {
  /** Largest side measured; larger frames are cropped around their centre. */
  public static final int MAX_SIDE = 128;

  private FrameNoise() {}

  /** Sigma of {@code f} on the 0-255 scale, or NaN when it cannot be measured. */
  public static double sigma(Frame f) {
    int h = Math.min(f.height(), MAX_SIDE);
    int w = Math.min(f.width(), MAX_SIDE);
    if (h < NoiseEstimate.BLOCK || w < NoiseEstimate.BLOCK) {
      return Double.NaN;
    }
    int top = (f.height() - h) / 2;
    int left = (f.width() - w) / 2;
    int planeSize = f.height() * f.width();
    boolean whole = h == f.height() && w == f.width();
    double sum = 0;
    float[] plane = whole && f.channels() == 1 ? f.pixels() : new float[h * w];
    try {
      for (int c = 0; c < f.channels(); c++) {
        if (plane != f.pixels()) {
          int base = c * planeSize;
          for (int y = 0; y < h; y++) {
            System.arraycopy(f.pixels(), base + (top + y) * f.width() + left, plane, y * w, w);
          }
        }
        sum += NoiseEstimate.sigma(plane, w, h);
      }
    } catch (IllegalArgumentException e) {
      return Double.NaN;
    }
    return sum / f.channels();
  }
}
