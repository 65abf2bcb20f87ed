package dev.denoiser.loadgen;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Options every load generator shares: how many feeds, how fast, how long, and where the CSV goes.
 */
public final class LoadOptions {
  @Option(
      names = {"--clients", "--streams"},
      defaultValue = "32",
      description =
          "Concurrent feeds: WebSocket connections, or Kafka streams (record keys) (default ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--rate",
      defaultValue = "30",
      description = "Target frames/s per feed (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--duration",
      defaultValue = "PT20S",
      converter = DurationConverter.class,
      description = "How long to send, after the warm-up (e.g. 20s, 1m; default 20s).")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "PT3S",
      converter = DurationConverter.class,
      description = "Sending time not measured at the start (default 3s).")
  Duration warmup;

  @Option(
      names = "--max-frames",
      defaultValue = "0",
      description = "Stop each feed after this many frames (0: only the duration limits it).")
  long maxFrames;

  @Option(
      names = "--noise",
      defaultValue = "0.3",
      description = "Gaussian noise sigma added to the digits (default ${DEFAULT-VALUE}).")
  double noise;

  @Option(
      names = "--p99-slo-ms",
      description = "p99 the verdict holds the run to (default: 25 ms for ws, 250 ms for kafka).")
  Double p99SloMs;

  @Option(
      names = "--csv",
      defaultValue = "target/loadgen.csv",
      description = "CSV file; one row per run is appended (default ${DEFAULT-VALUE}).")
  Path csv;

  /** The p99 objective: {@code --p99-slo-ms}, else the transport's default. */
  double p99SloMs(double transportDefault) {
    return p99SloMs != null ? p99SloMs : transportDefault;
  }

  /** Accepts 20s, 500ms, 2m or ISO-8601 (PT20S). */
  public static final class DurationConverter
      implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String v) {
      String s = v.trim().toLowerCase(java.util.Locale.ROOT);
      if (s.startsWith("pt")) {
        return Duration.parse(s.toUpperCase(java.util.Locale.ROOT));
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      if (s.endsWith("s")) {
        return Duration.ofMillis(
            Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
      }
      if (s.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
      }
      throw new IllegalArgumentException("not a duration: " + v + " (use 20s, 500ms or 2m)");
    }
  }
}
