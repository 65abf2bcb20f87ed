package dev.denoiser.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What readiness needs to know besides "started and a model is loaded": whether the service is
 * draining (a SIGTERM was received) and which parts report a problem (a Kafka ingest that makes no
 * progress with a backlog, a models-topic follower that stopped). Any problem, or draining, makes
 * {@code /v2/health/ready} answer 503. Thread-safe; the gauge {@code denoiser_health_problems}
 * counts the open problems.
 */
public final class Health {
  private final AtomicBoolean draining = new AtomicBoolean();
  private final Map<String, String> problems = new ConcurrentHashMap<>();

  Health(MeterRegistry registry) {
    Gauge.builder("denoiser_health_problems", problems, Map::size)
        .description(
            "Parts of the service that report a problem (readiness is false while any is open)")
        .register(registry);
  }

  /** From now on the service takes no new work. */
  public void startDraining() {
    draining.set(true);
  }

  public boolean draining() {
    return draining.get();
  }

  /** Records (or replaces) the problem of {@code part}, e.g. {@code kafka-ingest-0}. */
  public void problem(String part, String reason) {
    problems.put(part, reason);
  }

  /** {@code part} works again. */
  public void clear(String part) {
    problems.remove(part);
  }

  /** The open problems, by part. */
  public Map<String, String> problems() {
    return new TreeMap<>(problems);
  }

  /** Not draining and no open problem. */
  public boolean ok() {
    return !draining.get() && problems.isEmpty();
  }
}
