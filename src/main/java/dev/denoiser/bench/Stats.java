package dev.denoiser.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Throughput and latency of one benchmark cell: frames per second and latency percentiles in
 * milliseconds, from an HdrHistogram of microseconds.
 */
public record Stats(
    long frames, double seconds, double p50Ms, double p99Ms, double p999Ms, long errors) {
  public double framesPerSecond() {
    return seconds <= 0 ? 0 : frames / seconds;
  }

  /** A histogram for latencies from 1 µs to 60 s, 3 significant digits. */
  public static Histogram newHistogram() {
    return new Histogram(1, 60_000_000L, 3);
  }

  public static Stats of(Histogram micros, long frames, double seconds, long errors) {
    return new Stats(
        frames,
        seconds,
        micros.getTotalCount() == 0 ? 0 : micros.getValueAtPercentile(50) / 1000.0,
        micros.getTotalCount() == 0 ? 0 : micros.getValueAtPercentile(99) / 1000.0,
        micros.getTotalCount() == 0 ? 0 : micros.getValueAtPercentile(99.9) / 1000.0,
        errors);
  }

  public static String fmt(double v) {
    return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
  }
}
