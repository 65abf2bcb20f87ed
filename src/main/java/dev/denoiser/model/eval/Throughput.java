package dev.denoiser.model.eval;

/**
 * Frames per second of a {@link Denoiser} on one frame size, batch 1: two warm-up calls, then calls
 * until at least {@code seconds} have passed and at least three calls were timed. The time is the
 * whole call (padding, tensor copies and the forward pass).
 */
public final class Throughput {
  private Throughput() {}

  /** A test frame of the given size: a photo reflected to size, with sigma 25 noise. */
  public static Image frame(Image photo, int width, int height, int channels) {
    Image src = photo;
    if (channels == 3 && photo.channels() == 1) {
      float[] three = new float[3 * photo.plane()];
      for (int k = 0; k < 3; k++) {
        System.arraycopy(photo.data(), 0, three, k * photo.plane(), photo.plane());
      }
      src = new Image(photo.width(), photo.height(), 3, three);
    } else if (channels == 1 && photo.channels() == 3) {
      src = NaturalTestSet.gray(photo);
    }
    Image big = Reflect.pad(src, Math.max(width, src.width()), Math.max(height, src.height()));
    return NaturalTestSet.noisy(big.crop(0, 0, width, height), 25, 1234L);
  }

  /** Frames per second of {@code d} on {@code frame}. */
  public static double fps(Denoiser d, Image frame, double seconds) {
    d.denoise(frame);
    d.denoise(frame);
    long start = System.nanoTime();
    long limit = (long) (seconds * 1e9);
    int n = 0;
    long elapsed;
    do {
      d.denoise(frame);
      n++;
      elapsed = System.nanoTime() - start;
    } while (n < 3 || elapsed < limit);
    return n / (elapsed / 1e9);
  }
}
