package dev.denoiser.kafka;

import dev.denoiser.batching.InferenceClient;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.service.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import java.time.Duration;
import java.util.EnumSet;
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
 * (vertx-kafka-client's {@code batchHandler}), runs each through the batcher with the
 * {@link InferenceClient}, and publishes the denoised frame to {@code kafka.topic.denoised} and the
 * latent code to {@code kafka.topic.latent}; records that cannot be served go to
 * {@code kafka.topic.dlq} with the reason. The wire format is in {@link KafkaHeaders}.
 *
 * <p>Per partition, a {@link PartitionLedger} holds every record from poll to commit and releases
 * outputs in input order. When the batcher's queue is full the refused frames wait in a
 * {@link RetryQueue} and their partitions are paused ({@link FlowControl}) until they are taken;
 * the consumer keeps polling meanwhile, so it stays in its group. Offsets are committed by the
 * {@link Publisher} of the configured guarantee. A revoked partition's uncommitted work is dropped
 * for its next owner. {@link #stop()} drains: no new records, in-flight frames finish, outputs
 * are written and committed, then the consumer leaves the group and the producer closes.
 */
public final class KafkaIngestVerticle extends VerticleBase {
  static final String SOURCE = "kafka";
  private static final Logger LOG = LoggerFactory.getLogger(KafkaIngestVerticle.class);
  private static final long PUMP_MS = 5;
  private static final Set<ErrorCode> RETRY = EnumSet.of(ErrorCode.OVERLOADED, ErrorCode.DEADLINE_EXCEEDED,
      ErrorCode.MODEL_NOT_READY, ErrorCode.SHUTTING_DOWN);
  private final ServiceContext svc;
  private final KafkaOptions options;
  private final KafkaMetrics metrics;
  private final int instance;
  private final GroupTracker group = new GroupTracker();
  private final Map<TopicPartition, PartitionLedger> ledgers = new HashMap<>();
  private final RetryQueue retries = new RetryQueue();
  private RecordDecoder decoder;
  private OutputRecords outputs;
  private KafkaReadStream<String, byte[]> stream;
  private Publisher publisher;
  private FlowControl flow;
  private int inferring;
  private int finishedSinceTick;
  private long inFlightReported;
  private boolean capPaused;
  private boolean stopping;
  private boolean closed;
  private final long[] timers = {-1, -1};

  public KafkaIngestVerticle(ServiceContext svc, KafkaOptions options, KafkaMetrics metrics, int instance) {
    this.svc = svc;
    this.options = options;
    this.metrics = metrics;
    this.instance = instance;
  }

  @Override
  public Future<?> start() {
    decoder = new RecordDecoder(svc.codec(), svc.client());
    outputs = new OutputRecords(options);
    stream = KafkaReadStream.create(vertx, group.wrap(new KafkaConsumer<String, byte[]>(options.consumerConfig(instance))));
    stream.pollTimeout(Duration.ofMillis(100));
    flow = new FlowControl(stream, metrics);
    publisher = options.guarantee() == KafkaOptions.Guarantee.EXACTLY_ONCE
        ? new ExactlyOncePublisher(context, options, instance, group, metrics, this::rewind, this::fatal)
        : new AtLeastOncePublisher(vertx, options, instance, stream, group, metrics);
    group.beforeRevoke(publisher::beforeRevoke);
    stream.exceptionHandler(e -> LOG.debug("consumer task failed: {}", e.toString()));
    stream.partitionsAssignedHandler(tps -> LOG.info("ingest {} was assigned {}", instance, tps));
    stream.partitionsRevokedHandler(this::revoked);
    stream.batchHandler(this::onBatch);
    return publisher.start()
        .compose(v -> stream.subscribe(Set.of(options.noisyTopic())))
        .onSuccess(v -> {
          timers[0] = vertx.setPeriodic(PUMP_MS, id -> pump());
          timers[1] = vertx.setPeriodic(options.commitIntervalMillis(), id -> publisher.commit(ledgers.values()));
          LOG.info("ingest {} consumes {} in group {} ({})", instance, options.noisyTopic(), options.groupId(),
              options.guarantee().name().toLowerCase(java.util.Locale.ROOT));
        })
        .onFailure(e -> close(false));
  }

  private void onBatch(ConsumerRecords<String, byte[]> records) {
    if (stopping) {
      return;
    }
    for (TopicPartition tp : records.partitions()) {
      PartitionLedger ledger = ledger(tp);
      if (ledger != null) {
        records.records(tp).forEach(r -> take(ledger, r));
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

  private void take(PartitionLedger ledger, ConsumerRecord<String, byte[]> r) {
    Slot slot = ledger.add(r);
    metrics.consumed(1);
    FrameRequest req;
    try {
      req = decoder.decode(r);
    } catch (DenoiserException e) {
      svc.metrics().rejected(SOURCE, e.code());
      deadLetter(ledger, slot, e);
      return;
    } catch (RuntimeException e) {
      deadLetter(ledger, slot, new DenoiserException(ErrorCode.INVALID_FRAME, "cannot decode: " + e));
      return;
    }
    RetryQueue.Entry e = new RetryQueue.Entry(ledger, slot, req);
    if (retries.isEmpty()) {
      submit(e);
    } else {
      retries.add(e);
    }
  }

  private void submit(RetryQueue.Entry e) {
    inferring++;
    svc.client().infer(e.request().frame(), e.request().model()).onComplete(ar -> {
      inferring--;
      finishedSinceTick++;
      if (e.ledger().closed()) {
        return;
      }
      if (ar.succeeded()) {
        e.slot().ready(outputs.results(e.slot().record, e.request(), ar.result()), false);
        publisher.released(e.ledger());
        return;
      }
      DenoiserException err = InferenceClient.toError(ar.cause(), e.request().model());
      if (RETRY.contains(err.code())) {
        metrics.retried(err.code());
        retries.add(e);
      } else {
        deadLetter(e.ledger(), e.slot(), err);
      }
    });
  }

  private void deadLetter(PartitionLedger ledger, Slot slot, DenoiserException e) {
    LOG.warn("dead letter {}-{} offset {}: {}", slot.record.topic(), slot.record.partition(), slot.offset(), e.toString());
    metrics.deadLetter(e.code());
    slot.ready(List.of(outputs.deadLetter(slot.record, e)), true);
    publisher.released(ledger);
  }

  /** Offers refused frames again, as many as left the batcher since the last tick (plus one probe). */
  private void pump() {
    int budget = finishedSinceTick + 1;
    finishedSinceTick = 0;
    RetryQueue.Entry e;
    while (budget-- > 0 && (e = retries.poll()) != null) {
      submit(e);
    }
    reconcile();
  }

  private void reconcile() {
    long inFlight = ledgers.values().stream().mapToLong(PartitionLedger::size).sum();
    metrics.inFlightDelta(inFlight - inFlightReported);
    inFlightReported = inFlight;
    capPaused = inFlight >= options.maxInFlight() || (capPaused && inFlight > options.maxInFlight() / 2);
    Set<TopicPartition> owned = group.snapshot().owned();
    flow.reconcile(capPaused || stopping ? owned : retries.partitions(), owned);
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
    retries.drop(tps);
    flow.forget(tps);
    publisher.forget(tps);
    LOG.info("ingest {} gave up {}; {} uncommitted record(s) are left to the next owner", instance, tps, dropped);
  }

  /** After an aborted transaction: drop the partitions' work and read them again from the last commit. */
  private void rewind(Set<TopicPartition> tps) {
    for (TopicPartition tp : tps) {
      PartitionLedger old = ledgers.remove(tp);
      if (old == null || old.closed()) {
        continue;
      }
      old.close();
      retries.drop(List.of(tp));
      long from = old.firstOffset();
      if (from >= 0 && group.owns(tp)) {
        PartitionLedger fresh = new PartitionLedger(tp);
        fresh.seeking(true);
        ledgers.put(tp, fresh);
        stream.seek(tp, from).onComplete(ar -> {
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
    LOG.error("ingest {} stops: its transactional producer was fenced or failed for good ({}); "
        + "a newer instance owns its work", instance, e.toString());
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
    return Waits.until(vertx, () -> inferring == 0 && retries.isEmpty() && !publisher.busy(ledgers.values()), deadline)
        .compose(v -> publisher.commit(ledgers.values()))
        .compose(v -> Waits.until(vertx, () -> !publisher.busy(ledgers.values()), deadline))
        .compose(v -> publisher.commit(ledgers.values()))
        .eventually(() -> close(true))
        .onComplete(v -> LOG.info("ingest {} drained and closed", instance));
  }

  /** Stops as a crash would: nothing more is written or committed, and the clients close at once. */
  Future<Void> halt() {
    ledgers.values().forEach(PartitionLedger::close);
    return close(false);
  }

  private Future<Void> close(boolean graceful) {
    closed = true;
    stopping = true;
    for (long t : timers) {
      vertx.cancelTimer(t);
    }
    if (!graceful) {
      publisher.abandon();
      return stream.close();
    }
    return stream.close().eventually(() -> publisher.close());
  }
}
