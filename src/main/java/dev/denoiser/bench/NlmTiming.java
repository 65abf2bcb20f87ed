package dev.denoiser.bench;

import dev.denoiser.model.eval.Image;
import dev.denoiser.model.eval.NonLocalMeans;
import org.HdrHistogram.Histogram;

/**
 * Times OpenCV's non-local means on one frame: one warm-up call, then calls until {@code seconds}
 * have passed and at least two were timed. Touch only when OpenCV is on the classpath (the class
 * links against it through {@link NonLocalMeans}).
 */
final class NlmTiming {
  private NlmTiming() {}

  static Stats measure(Image noisy, double h, double seconds) {
    NonLocalMeans nlm = new NonLocalMeans(h);
    nlm.denoise(noisy);
    Histogram hist = Stats.newHistogram();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long n = 0;
    while (n < 2 || System.nanoTime() < end) {
      long t0 = System.nanoTime();
      nlm.denoise(noisy);
      hist.recordValue(
          Math.max(1, Math.min(hist.getHighestTrackableValue(), (System.nanoTime() - t0) / 1000)));
      n++;
    }
    return Stats.of(hist, n, (System.nanoTime() - start) / 1e9, 0);
  }
}
