package dev.denoiser.kafka;

import dev.denoiser.kafka.client.KafkaMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the Kafka role's throughput every {@code kafka.statsIntervalMillis}: frames per second in
 * (records consumed) and out (denoised frames published), dead letters, records in flight and
 * paused partitions, from {@link KafkaMetrics}.
 */
public final class ThroughputLogVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ThroughputLogVerticle.class);
  private final KafkaMetrics metrics;
  private final long intervalMillis;
  private long timer = -1;
  private long lastNanos;
  private double lastIn;
  private double lastOut;
  private double lastDead;

  public ThroughputLogVerticle(KafkaMetrics metrics, long intervalMillis) {
    this.metrics = metrics;
    this.intervalMillis = intervalMillis;
  }

  @Override
  public Future<?> start() {
    lastNanos = System.nanoTime();
    timer = vertx.setPeriodic(intervalMillis, id -> report());
    return Future.succeededFuture();
  }

  private void report() {
    long now = System.nanoTime();
    double secs = Math.max(1e-3, (now - lastNanos) / 1e9);
    double in = metrics.consumedTotal();
    double out = metrics.publishedTotal();
    double dead = metrics.deadLettersTotal();
    LOG.info(
        "kafka: in {} frames/s, out {} frames/s, dead letters {}, in flight {}, paused partitions {}",
        String.format(Locale.ROOT, "%.1f", (in - lastIn) / secs),
        String.format(Locale.ROOT, "%.1f", (out - lastOut) / secs),
        (long) (dead - lastDead),
        metrics.inFlight(),
        metrics.pausedPartitions());
    lastNanos = now;
    lastIn = in;
    lastOut = out;
    lastDead = dead;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
