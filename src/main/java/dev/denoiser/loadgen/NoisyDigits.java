package dev.denoiser.loadgen;

import dev.denoiser.data.SampleDigits;
import java.util.Random;

/**
 * A fixed set of noisy 8-bit gray digits, made once before a run so that sending costs nothing:
 * the shipped MNIST test digits plus seeded Gaussian noise of {@code sigma} (in [0,1] units),
 * clipped, optionally scaled (nearest neighbour) to a larger square. Feeds cycle through them.
 */
public final class NoisyDigits {
  private final byte[][] frames;
  private final int height;
  private final int width;

  public NoisyDigits(int count, double sigma, long seed) {
    this(count, sigma, seed, 0);
  }

  /** {@code size} x {@code size} frames (0: the digits' own 28 x 28). */
  public NoisyDigits(int count, double sigma, long seed, int size) {
    SampleDigits d = SampleDigits.load();
    Random rnd = new Random(seed);
    height = size > 0 ? size : d.height();
    width = size > 0 ? size : d.width();
    frames = new byte[count][];
    for (int i = 0; i < count; i++) {
      byte[] px = scale(d.gray8(i % d.size()), d.height(), d.width(), height, width);
      for (int p = 0; p < px.length; p++) {
        double v = (px[p] & 0xff) + rnd.nextGaussian() * sigma * 255;
        px[p] = (byte) Math.max(0, Math.min(255, Math.round(v)));
      }
      frames[i] = px;
    }
  }

  private static byte[] scale(byte[] px, int h, int w, int toH, int toW) {
    if (h == toH && w == toW) {
      return px;
    }
    byte[] out = new byte[toH * toW];
    for (int y = 0; y < toH; y++) {
      for (int x = 0; x < toW; x++) {
        out[y * toW + x] = px[(y * h / toH) * w + x * w / toW];
      }
    }
    return out;
  }

  public byte[] frame(long i) {
    return frames[(int) (i % frames.length)];
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }
}
