package dev.denoiser.kafka.ingest;

import dev.denoiser.config.Setting;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.kafka.client.KafkaMetrics;
import dev.denoiser.kafka.client.KafkaOptions;
import dev.denoiser.kafka.publish.AtLeastOncePublisher;
import dev.denoiser.kafka.publish.ExactlyOncePublisher;
import dev.denoiser.kafka.publish.GroupTracker;
import dev.denoiser.kafka.publish.OutputRecords;
import dev.denoiser.kafka.publish.PartitionLedger;
import dev.denoiser.kafka.publish.Publisher;
import dev.denoiser.source.CodecPool;
import dev.denoiser.source.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes noisy frames from {@code kafka.topic.noisy} in consumer group {@code kafka.group.id}
 * (vertx-kafka-client's {@code batchHandler}), runs each through the batcher ({@link
 * IngestPipeline}), and publishes the denoised frame to {@code kafka.topic.denoised} and the latent
 * code to {@code kafka.topic.latent}; records that cannot be served go to {@code kafka.topic.dlq}
 * with the reason. The wire format is in {@link KafkaHeaders}.
 *
 * <p>Per partition, a {@link PartitionLedger} holds every record from poll to commit and releases
 * outputs in input order. When the batcher's queue is full the refused frames wait in a {@link
 * RetryQueue} and their partitions are paused ({@link FlowControl}) until they are taken; the
 * consumer keeps polling meanwhile, so it stays in its group. Offsets are committed by the {@link
 * Publisher} of the configured guarantee. A revoked partition's uncommitted work is dropped for its
 * next owner. {@link #stop()} drains: no new records, in-flight frames finish, outputs are written
 * and committed, then the consumer leaves the group and the producer closes.
 */
public final class KafkaIngestVerticle extends VerticleBase {
  static final String SOURCE = "kafka";
  private static final Logger LOG = LoggerFactory.getLogger(KafkaIngestVerticle.class);
  private static final long PUMP_MS = 5;
  private static final long POLL_MS = 20;
  private final ServiceContext svc;
  private final KafkaOptions options;
  private final KafkaMetrics metrics;
  private final int instance;
  private final GroupTracker group = new GroupTracker();
  private final Map<TopicPartition, PartitionLedger> ledgers = new HashMap<>();
  private IngestPipeline pipeline;
  private KafkaReadStream<byte[], byte[]> stream;
  private io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics clientMeters;
  private Publisher publisher;
  private FlowControl flow;
  private long inFlightReported;
  private long bytesReported;
  private long maxInFlightBytes;
  private CodecPool codecs;
  private boolean capPaused;
  private boolean stopping;
  private boolean subscribed;
  private volatile boolean closed;
  private final long[] timers = {-1, -1};
  private long progressMark = Long.MIN_VALUE;
  private long progressAtNanos = System.nanoTime();
  private boolean stalled;

  public KafkaIngestVerticle(
      ServiceContext svc, KafkaOptions options, KafkaMetrics metrics, int instance) {
    this.svc = svc;
    this.options = options;
    this.metrics = metrics;
    this.instance = instance;
  }

  @Override
  public Future<?> start() {
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(options.consumerConfig(instance));
    clientMeters = metrics.bind(consumer);
    stream = KafkaReadStream.create(vertx, group.wrap(consumer));
    // short polls: a pause or resume waits for the poll in progress
    stream.pollTimeout(Duration.ofMillis(POLL_MS));
    flow = new FlowControl(stream, metrics);
    publisher =
        options.guarantee() == KafkaOptions.Guarantee.EXACTLY_ONCE
            ? new ExactlyOncePublisher(
                context, options, instance, group, metrics, this::rewind, this::fatal)
            : new AtLeastOncePublisher(vertx, options, instance, group, metrics);
    long bytesCap = svc.settings().getLong(Setting.KAFKA_MAX_IN_FLIGHT_BYTES);
    maxInFlightBytes = bytesCap > 0 ? bytesCap : svc.budget().limit(SOURCE);
    codecs = CodecPool.of(vertx, svc.settings(), svc.metrics().registry());
    pipeline = new IngestPipeline(svc, new OutputRecords(options), publisher, metrics, codecs);
    group.beforeRevoke(publisher::beforeRevoke);
    group.beforePoll(publisher::beforePoll);
    stream.exceptionHandler(e -> LOG.debug("consumer task failed: {}", e.toString()));
    stream.partitionsAssignedHandler(tps -> LOG.info("ingest {} was assigned {}", instance, tps));
    stream.partitionsRevokedHandler(this::revoked);
    stream.batchHandler(this::onBatch);
    return publisher
        .start()
        .compose(v -> subscribeOnceAModelIsServed())
        .onSuccess(
            v -> {
              timers[0] = vertx.setPeriodic(PUMP_MS, id -> pump());
              timers[1] =
                  vertx.setPeriodic(
                      options.commitIntervalMillis(),
                      id -> {
                        publisher.commit(ledgers.values());
                        watchProgress(System.nanoTime());
                      });
              LOG.info(
                  "ingest {} consumes {} in group {} ({})",
                  instance,
                  options.noisyTopic(),
                  options.groupId(),
                  options.guarantee().name().toLowerCase(java.util.Locale.ROOT));
            })
        .onFailure(e -> close(false));
  }

  /**
   * Joins the group now, or, while no model is loaded, as soon as one is: frames are not taken from
   * Kafka (nor dead-lettered) before there is a model to run them.
   */
  private Future<Void> subscribeOnceAModelIsServed() {
    if (!svc.registry().isEmpty()) {
      return stream.subscribe(Set.of(options.noisyTopic()));
    }
    LOG.info("ingest {} waits for a model before it consumes {}", instance, options.noisyTopic());
    svc.registry()
        .onChange(
            card ->
                context.runOnContext(
                    v -> {
                      if (!subscribed && !closed) {
                        subscribed = true;
                        stream
                            .subscribe(Set.of(options.noisyTopic()))
                            .onFailure(
                                e ->
                                    LOG.error(
                                        "ingest {} cannot subscribe to {}: {}",
                                        instance,
                                        options.noisyTopic(),
                                        e.toString()));
                      }
                    }));
    return Future.succeededFuture();
  }

  private void onBatch(ConsumerRecords<byte[], byte[]> records) {
    if (stopping) {
      return;
    }
    for (TopicPartition tp : records.partitions()) {
      PartitionLedger ledger = ledger(tp);
      if (ledger != null) {
        for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
          // a record polled again (after a rewind) is already held
          if (r.offset() > ledger.lastOffset()) {
            pipeline.take(ledger, r);
          }
        }
      }
    }
    reconcile();
  }

  private PartitionLedger ledger(TopicPartition tp) {
    PartitionLedger l = ledgers.get(tp);
    if (l == null && group.owns(tp)) {
      l = new PartitionLedger(tp);
      ledgers.put(tp, l);
    }
    return l == null || l.seeking() ? null : l;
  }

  /**
   * Every few ms: one more try for a refused frame (the queue may have been full of other sources'
   * work), then pauses.
   */
  private void pump() {
    pipeline.probe();
    reconcile();
  }

  private void reconcile() {
    long inFlight = ledgers.values().stream().mapToLong(PartitionLedger::size).sum();
    metrics.inFlightDelta(inFlight - inFlightReported);
    inFlightReported = inFlight;
    long bytes = ledgers.values().stream().mapToLong(PartitionLedger::bytes).sum();
    metrics.inFlightBytesDelta(bytes - bytesReported);
    bytesReported = bytes;
    boolean overRecords = inFlight >= options.maxInFlight();
    boolean overBytes = bytes >= maxInFlightBytes;
    if (!capPaused && (overRecords || overBytes)) {
      metrics.capPaused(overRecords ? "records" : "bytes");
    }
    // hysteresis: resume once half of what was held is committed
    capPaused =
        overRecords
            || overBytes
            || (capPaused
                && (inFlight > options.maxInFlight() / 2 || bytes > maxInFlightBytes / 2));
    Set<TopicPartition> owned = group.snapshot().owned();
    flow.reconcile(capPaused || stopping ? owned : pipeline.waiting(), owned);
  }

  /**
   * Readiness guard: while records are held, the oldest uncommitted offset of some partition must
   * move within {@code kafka.stallMillis}; otherwise this ingest reports a problem (readiness 503)
   * until it moves again. Catches what no single error shows: a write retried forever, a
   * transaction that keeps aborting.
   */
  void watchProgress(long now) {
    long held = 0;
    long mark = 0;
    for (PartitionLedger l : ledgers.values()) {
      held += l.size();
      mark = mark * 31 + l.firstOffset();
    }
    if (held == 0 || mark != progressMark || options.stallMillis() <= 0) {
      progressMark = mark;
      progressAtNanos = now;
      if (stalled) {
        stalled = false;
        svc.metrics().health().clear(healthPart());
        LOG.info("ingest {} makes progress again", instance);
      }
      return;
    }
    long idleMs = (now - progressAtNanos) / 1_000_000;
    if (!stalled && idleMs >= options.stallMillis()) {
      stalled = true;
      String reason = "holds " + held + " record(s) and committed none for " + idleMs / 1000 + " s";
      svc.metrics().health().problem(healthPart(), reason);
      LOG.error("ingest {} {}; readiness is false until it moves", instance, reason);
    }
  }

  private String healthPart() {
    return "kafka-ingest-" + instance;
  }

  private void revoked(Set<TopicPartition> tps) {
    int dropped = 0;
    for (TopicPartition tp : tps) {
      PartitionLedger l = ledgers.remove(tp);
      if (l != null) {
        dropped += l.size();
        l.close();
      }
    }
    pipeline.drop(tps);
    flow.forget(tps);
    publisher.forget(tps);
    LOG.info(
        "ingest {} gave up {}; {} uncommitted record(s) are left to the next owner",
        instance,
        tps,
        dropped);
  }

  /**
   * After an aborted transaction: drop the partitions' work and read them again from the last
   * commit.
   */
  private void rewind(Set<TopicPartition> tps) {
    for (TopicPartition tp : tps) {
      PartitionLedger old = ledgers.remove(tp);
      if (old == null || old.closed()) {
        continue;
      }
      old.close();
      pipeline.drop(List.of(tp));
      long from = old.firstOffset();
      if (from >= 0 && group.owns(tp)) {
        PartitionLedger fresh = new PartitionLedger(tp);
        fresh.seeking(true);
        ledgers.put(tp, fresh);
        stream
            .seek(tp, from)
            .onComplete(
                ar -> {
                  fresh.seeking(false);
                  if (ar.failed()) {
                    fresh.close();
                    ledgers.remove(tp, fresh);
                    LOG.warn("cannot rewind {} to {}: {}", tp, from, ar.cause().toString());
                  }
                });
      }
    }
  }

  private void fatal(Throwable e) {
    LOG.error(
        "ingest {} stops: its transactional producer was fenced or failed for good ({}); "
            + "a newer instance owns its work",
        instance,
        e.toString());
    close(false);
  }

  @Override
  public Future<?> stop() {
    if (closed) {
      return Future.succeededFuture();
    }
    stopping = true;
    reconcile();
    long deadline = System.currentTimeMillis() + options.shutdownGraceMillis();
    return Waits.until(vertx, () -> pipeline.idle() && !publisher.busy(ledgers.values()), deadline)
        .compose(v -> publisher.commit(ledgers.values()))
        .compose(v -> Waits.until(vertx, () -> !publisher.busy(ledgers.values()), deadline))
        .compose(v -> publisher.commit(ledgers.values()))
        .eventually(() -> close(true))
        .onComplete(v -> LOG.info("ingest {} drained and closed", instance));
  }

  /**
   * Stops as a crash would: nothing more is written or committed, and the clients close at once.
   */
  Future<Void> halt() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          ledgers.values().forEach(PartitionLedger::close);
          close(false).onComplete(done);
        });
    return done.future();
  }

  /** True once closed: drained, halted, or stopped by a fenced producer. */
  boolean closed() {
    return closed;
  }

  private Future<Void> close(boolean graceful) {
    closed = true;
    svc.metrics().health().clear(healthPart());
    stopping = true;
    for (long t : timers) {
      vertx.cancelTimer(t);
    }
    Future<Void> pool = codecs == null ? Future.succeededFuture() : codecs.close();
    if (!graceful) {
      publisher.abandon();
      return stream.close().onComplete(v -> clientMeters.close()).eventually(() -> pool);
    }
    return stream
        .close()
        .onComplete(v -> clientMeters.close())
        .eventually(() -> publisher.close())
        .eventually(() -> pool);
  }
}
