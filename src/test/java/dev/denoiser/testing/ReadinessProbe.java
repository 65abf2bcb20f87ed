package dev.denoiser.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Asks {@code /v2/health/ready} over and over (one HTTP/1.1 connection, a pause between probes) and
 * keeps each answer's time, so a test can compare readiness while the service works with readiness
 * while it is idle, rather than with a wall-clock bound.
 */
public final class ReadinessProbe {
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(30))
          .build();
  private final HttpRequest ready;

  public ReadinessProbe(int port) {
    this.ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/health/ready"))
            .timeout(Duration.ofSeconds(120))
            .build();
  }

  /** The answer times of {@code n} probes, {@code pauseMs} apart. */
  public Stats sample(int n, long pauseMs) throws Exception {
    List<Long> ms = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ms.add(once());
      Thread.sleep(pauseMs);
    }
    return new Stats(ms);
  }

  /** Probes until {@code done} holds or {@code maxMs} pass. */
  public Stats until(BooleanSupplier done, long pauseMs, long maxMs) throws Exception {
    List<Long> ms = new ArrayList<>();
    long end = System.nanoTime() + maxMs * 1_000_000;
    while (!done.getAsBoolean() && System.nanoTime() < end) {
      ms.add(once());
      Thread.sleep(pauseMs);
    }
    return new Stats(ms);
  }

  private long once() throws Exception {
    long t0 = System.nanoTime();
    int status = client.send(ready, BodyHandlers.discarding()).statusCode();
    if (status != 200) {
      throw new AssertionError("readiness answered " + status);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** Answer times in ms. */
  public record Stats(List<Long> millis) {
    public int count() {
      return millis.size();
    }

    public long quantile(double q) {
      if (millis.isEmpty()) {
        return 0;
      }
      List<Long> s = new ArrayList<>(millis);
      Collections.sort(s);
      return s.get(Math.min(s.size() - 1, (int) Math.floor(q * s.size())));
    }

    public long p50() {
      return quantile(0.5);
    }

    public long max() {
      return quantile(1.0);
    }

    /** Probes slower than {@code ms}. */
    public long over(long ms) {
      return millis.stream().filter(m -> m > ms).count();
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%d probes, p50 %d ms, p90 %d ms, max %d ms",
          count(),
          p50(),
          quantile(0.9),
          max());
    }
  }
}
