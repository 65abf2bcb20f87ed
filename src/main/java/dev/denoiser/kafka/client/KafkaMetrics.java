package dev.denoiser.kafka.client;

import dev.denoiser.error.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Kafka role's meters, on the registry {@code GET /metrics} scrapes (Prometheus adds {@code
 * _total} to counters). Shared by every ingest instance of a replica.
 *
 * <ul>
 *   <li>{@code denoiser_kafka_consumed_total}: input records taken from Kafka.
 *   <li>{@code denoiser_kafka_published_total}: denoised frames published (acknowledged, or
 *       committed in a transaction).
 *   <li>{@code denoiser_kafka_dead_letters_total{code}}: records sent to the dead-letter topic.
 *   <li>{@code denoiser_kafka_retries_total{code}}: frames the batcher refused (OVERLOADED, ...)
 *       and that were offered again.
 *   <li>{@code denoiser_kafka_send_retries_total}: output records re-sent after a failed write.
 *   <li>{@code denoiser_kafka_truncated_total{reason}}: records cut to fit {@code
 *       kafka.maxRecordBytes} ({@code dead_letter}: a dead letter too large to write whole; {@code
 *       output}: an output too large, dead-lettered instead; {@code refused}: a write the producer
 *       or broker refused for good, replaced by an empty dead letter).
 *   <li>{@code denoiser_kafka_commits_total}, {@code denoiser_kafka_transactions_aborted_total}.
 *   <li>{@code denoiser_kafka_in_flight} (records taken, not committed), {@code
 *       denoiser_kafka_in_flight_bytes} (their keys, values and headers) and {@code
 *       denoiser_kafka_paused_partitions} (gauges).
 *   <li>{@code denoiser_kafka_cap_pauses_total{reason}}: times every partition was paused because
 *       too much was held ({@code records}: {@code kafka.maxInFlight}; {@code bytes}: {@code
 *       kafka.maxInFlightBytes}).
 * </ul>
 *
 * <p>{@link #bind} adds the Kafka clients' own metrics through Micrometer's {@link
 * KafkaClientMetrics} ({@code kafka_consumer_*}, {@code kafka_producer_*}, with a {@code client_id}
 * tag), e.g. {@code kafka_consumer_fetch_manager_records_lag_max}.
 */
public final class KafkaMetrics {
  private final MeterRegistry registry;
  private final Counter consumed;
  private final Counter published;
  private final Counter sendRetries;
  private final Counter commits;
  private final Counter aborted;
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong paused = new AtomicLong();
  private final AtomicLong inFlightBytes = new AtomicLong();

  public KafkaMetrics(MeterRegistry registry) {
    this.registry = registry;
    consumed =
        Counter.builder("denoiser_kafka_consumed")
            .description("Input records taken from Kafka")
            .register(registry);
    published =
        Counter.builder("denoiser_kafka_published")
            .description("Denoised frames published")
            .register(registry);
    sendRetries =
        Counter.builder("denoiser_kafka_send_retries")
            .description("Output records sent again after a failed write")
            .register(registry);
    commits =
        Counter.builder("denoiser_kafka_commits")
            .description("Offset commits and committed transactions")
            .register(registry);
    aborted =
        Counter.builder("denoiser_kafka_transactions_aborted")
            .description("Aborted transactions")
            .register(registry);
    Gauge.builder("denoiser_kafka_in_flight", inFlight, AtomicLong::doubleValue)
        .description("Records taken from Kafka and not yet committed")
        .register(registry);
    Gauge.builder("denoiser_kafka_in_flight_bytes", inFlightBytes, AtomicLong::doubleValue)
        .description("Bytes of the records taken from Kafka and not yet committed")
        .register(registry);
    Gauge.builder("denoiser_kafka_paused_partitions", paused, AtomicLong::doubleValue)
        .description("Input partitions paused for backpressure")
        .register(registry);
  }

  /**
   * Binds a consumer's metrics to the registry; close the returned binder once the consumer is
   * closed.
   */
  public KafkaClientMetrics bind(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
    KafkaClientMetrics m = new KafkaClientMetrics(consumer);
    m.bindTo(registry);
    return m;
  }

  /**
   * Binds a producer's metrics to the registry; close the returned binder once the producer is
   * closed.
   */
  public KafkaClientMetrics bind(org.apache.kafka.clients.producer.Producer<?, ?> producer) {
    KafkaClientMetrics m = new KafkaClientMetrics(producer);
    m.bindTo(registry);
    return m;
  }

  public void consumed(int n) {
    consumed.increment(n);
  }

  public void published(int n) {
    published.increment(n);
  }

  public void deadLetter(ErrorCode code) {
    registry.counter("denoiser_kafka_dead_letters", "code", code.name()).increment();
  }

  public void retried(ErrorCode code) {
    registry.counter("denoiser_kafka_retries", "code", code.name()).increment();
  }

  public void sendRetried() {
    sendRetries.increment();
  }

  public void truncated(String reason) {
    registry.counter("denoiser_kafka_truncated", "reason", reason).increment();
  }

  public double truncatedTotal() {
    return registry.find("denoiser_kafka_truncated").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  public void committed() {
    commits.increment();
  }

  public void aborted() {
    aborted.increment();
  }

  public void inFlightDelta(long d) {
    inFlight.addAndGet(d);
  }

  public void inFlightBytesDelta(long d) {
    inFlightBytes.addAndGet(d);
  }

  /** Every partition was paused because {@code reason} ({@code records} or {@code bytes}). */
  public void capPaused(String reason) {
    registry.counter("denoiser_kafka_cap_pauses", "reason", reason).increment();
  }

  public void pausedDelta(long d) {
    paused.addAndGet(d);
  }

  public double consumedTotal() {
    return consumed.count();
  }

  public double publishedTotal() {
    return published.count();
  }

  /** Dead letters of every code. */
  public double deadLettersTotal() {
    return registry.find("denoiser_kafka_dead_letters").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  /** Refused frames offered again, of every code. */
  public double retriesTotal() {
    return registry.find("denoiser_kafka_retries").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  /** Transactions aborted (exactly-once). */
  public double abortedTotal() {
    return aborted.count();
  }

  /** Output records sent again after a failed write. */
  public double sendRetriesTotal() {
    return sendRetries.count();
  }

  public long inFlight() {
    return inFlight.get();
  }

  public long pausedPartitions() {
    return paused.get();
  }
}
