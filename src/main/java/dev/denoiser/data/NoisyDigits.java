package dev.denoiser.data;

import java.util.Random;

/**
 * Noisy MNIST test digits as 8-bit gray frames, for the demo feed, the benchmarks and the load
 * generators: digit {@code i % 500} of {@link SampleDigits}, scaled (nearest neighbour) to {@code
 * size x size}, plus Gaussian noise of standard deviation {@code sigma} (pixels in [0,1]), clipped.
 * The noise comes from a seed, so a run is repeatable.
 */
public final class NoisyDigits {
  private final ImageSet digits = SampleDigits.load();
  private final Random rnd;
  private final double sigma;
  private final int size;

  public NoisyDigits(long seed, double sigma, int size) {
    this.rnd = new Random(seed);
    this.sigma = sigma;
    this.size = size;
  }

  /** Height and width of the frames. */
  public int size() {
    return size;
  }

  /** The next noisy frame, from digit {@code i % 500}, with fresh noise. */
  public byte[] gray8(int i) {
    int idx = Math.floorMod(i, digits.count());
    float[] src = digits.image(idx);
    int h = digits.height();
    int w = digits.width();
    byte[] out = new byte[size * size];
    for (int y = 0; y < size; y++) {
      int sy = y * h / size;
      for (int x = 0; x < size; x++) {
        double v = src[sy * w + x * w / size] + rnd.nextGaussian() * sigma;
        out[y * size + x] = (byte) Math.round(Math.max(0, Math.min(1, v)) * 255);
      }
    }
    return out;
  }

  /** {@code n} noisy frames made once, for feeds that must not spend their CPU on noise. */
  public Pool pool(int n) {
    byte[][] p = new byte[n][];
    for (int i = 0; i < n; i++) {
      p[i] = gray8(i);
    }
    return new Pool(p, size);
  }

  /** Frames made in advance; {@link #frame(long)} cycles through them. */
  public record Pool(byte[][] frames, int size) {
    public byte[] frame(long i) {
      return frames[(int) Math.floorMod(i, (long) frames.length)];
    }

    public int height() {
      return size;
    }

    public int width() {
      return size;
    }
  }
}
