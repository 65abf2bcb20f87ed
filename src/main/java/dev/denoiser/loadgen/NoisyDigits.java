package dev.denoiser.loadgen;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.SampleDigits;
import java.util.Random;

/**
 * A fixed set of noisy 8-bit gray digits, made once before a run so that sending costs nothing:
 * the shipped MNIST test digits plus seeded Gaussian noise of {@code sigma} (in [0,1] units),
 * clipped. Feeds cycle through them.
 */
public final class NoisyDigits {
  private final byte[][] frames;
  private final int height;
  private final int width;

  public NoisyDigits(int count, double sigma, long seed) {
    ImageSet d = SampleDigits.load();
    Random rnd = new Random(seed);
    height = d.height();
    width = d.width();
    frames = new byte[count][];
    for (int i = 0; i < count; i++) {
      byte[] px = d.gray8(i % d.count());
      for (int p = 0; p < px.length; p++) {
        double v = (px[p] & 0xff) + rnd.nextGaussian() * sigma * 255;
        px[p] = (byte) Math.max(0, Math.min(255, Math.round(v)));
      }
      frames[i] = px;
    }
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
