package dev.denoiser.kafka.publish;

import dev.denoiser.kafka.client.KafkaMetrics;
import dev.denoiser.kafka.client.KafkaOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default guarantee. Output records go out as soon as their ledger releases them, through an
 * idempotent producer with {@code acks=all} ({@link OutputSender}); when every output of a slot is
 * acknowledged the slot is DONE, and every {@code kafka.commitIntervalMillis} the consumer commits,
 * per partition, the contiguous DONE prefix ({@code commitAsync} on the polling thread, so polling
 * never waits for it; partitions about to be revoked, and all of them on close, are committed
 * synchronously). A write that fails for a passing reason (a broker away, a dead-letter topic that
 * refuses even an empty record) is logged and retried with backoff, and its offset stays
 * uncommitted until it succeeds. A write refused for good because of the record itself (too large
 * for the topic, invalid: {@link KafkaErrors#recordRefused}) is not retried as it is: it is
 * replaced once by an empty dead letter that says why ({@link OutputRecords#refused}), so one
 * record never holds its partition. A crash re-delivers what was not committed, so an input can
 * have more than one output, never none.
 */
public final class AtLeastOncePublisher implements Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(AtLeastOncePublisher.class);
  private static final long MAX_BACKOFF_MS = 10_000;
  private final Vertx vertx;
  private final OutputSender sender;

  /** The ledger of each slot on its way out, and how often its writes failed. */
  private final Map<Slot, PartitionLedger> outgoing = new HashMap<>();

  private final Map<Slot, Integer> retries = new HashMap<>();
  private final GroupTracker group;
  private final KafkaMetrics metrics;
  private final OutputRecords records;
  private io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics clientMeters;

  /** Next offset to commit per partition; read by the polling thread in {@link #beforeRevoke}. */
  private final Map<TopicPartition, Long> committable = new ConcurrentHashMap<>();

  /** Committed offsets, as acknowledged to the polling thread. */
  private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();

  private final AtomicReference<Map<TopicPartition, OffsetAndMetadata>> toCommit =
      new AtomicReference<>();
  private final AtomicBoolean commitInFlight = new AtomicBoolean();

  public AtLeastOncePublisher(
      Vertx vertx, KafkaOptions options, int instance, GroupTracker group, KafkaMetrics metrics) {
    this.vertx = vertx;
    this.group = group;
    this.metrics = metrics;
    this.records = new OutputRecords(options);
    String name = options.groupId() + "-publish-" + instance;
    this.sender =
        new OutputSender(
            vertx.getOrCreateContext(),
            options.outputProducerConfig(name),
            name,
            new OutputSender.Listener() {
              @Override
              public void acked(Slot slot) {
                AtLeastOncePublisher.this.acked(slot);
                retries.remove(slot);
              }

              @Override
              public void failed(Slot slot, ProducerRecord<byte[], byte[]> record, Exception e) {
                AtLeastOncePublisher.this.failed(slot, record, e);
              }
            });
  }

  @Override
  public Future<Void> start() {
    clientMeters = metrics.bind(sender.producer());
    return Future.succeededFuture();
  }

  @Override
  public void released(PartitionLedger ledger) {
    for (Slot s : ledger.takeReady()) {
      s.unacked.set(s.outputs().size());
      outgoing.put(s, ledger);
      sender.send(s, s.outputs());
    }
  }

  private void acked(Slot slot) {
    PartitionLedger ledger = outgoing.remove(slot);
    if (ledger == null || ledger.closed()) {
      return;
    }
    ledger.done(slot);
    if (!slot.deadLetter()) {
      metrics.published(1);
    }
    long next = ledger.popDone();
    if (next >= 0) {
      committable.put(ledger.partition(), next);
    }
  }

  private void failed(Slot slot, ProducerRecord<byte[], byte[]> r, Exception e) {
    PartitionLedger ledger = outgoing.get(slot);
    if (ledger == null || ledger.closed()) {
      outgoing.remove(slot);
      return;
    }
    boolean alreadyEmpty =
        r.topic().equals(records.dlqTopic())
            && OutputRecords.truncated(r)
            && (r.value() == null || r.value().length == 0);
    if (KafkaErrors.recordRefused(e) && !alreadyEmpty) {
      ProducerRecord<byte[], byte[]> replacement = records.refused(r, slot, e);
      LOG.warn(
          "{} refused the output of {} for good ({}); an empty dead letter goes in its place",
          r.topic(),
          slot,
          e.toString());
      metrics.truncated("refused");
      sender.send(slot, List.of(replacement));
      return;
    }
    int attempt = retries.merge(slot, 1, Integer::sum);
    long delay = Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt - 1, 7));
    LOG.warn(
        "could not write to {} the output of {}: {}; offset stays uncommitted, retrying in {} ms",
        r.topic(),
        slot,
        e.toString(),
        delay);
    metrics.sendRetried();
    vertx.setTimer(
        delay,
        id -> {
          if (!ledger.closed()) {
            sender.send(slot, List.of(r));
          }
        });
  }

  /**
   * Hands the new commit points of owned partitions to the polling thread ({@link #beforePoll}).
   */
  @Override
  public Future<Void> commit(Collection<PartitionLedger> ledgers) {
    if (commitInFlight.get() || toCommit.get() != null) {
      return Future.succeededFuture();
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    GroupTracker.Assignment a = group.snapshot();
    committable.forEach(
        (tp, next) -> {
          if (a.owned().contains(tp) && next > committed.getOrDefault(tp, -1L)) {
            offsets.put(tp, new OffsetAndMetadata(next));
          }
        });
    if (!offsets.isEmpty()) {
      toCommit.set(offsets);
    }
    return Future.succeededFuture();
  }

  /**
   * On the polling thread, before each poll: commits what {@link #commit} handed over, without
   * waiting.
   */
  @Override
  public void beforePoll(Consumer<?, ?> c) {
    Map<TopicPartition, OffsetAndMetadata> offsets = toCommit.getAndSet(null);
    if (offsets == null) {
      return;
    }
    commitInFlight.set(true);
    c.commitAsync(
        offsets,
        (done, e) -> {
          commitInFlight.set(false);
          if (e == null) {
            offsets.forEach((tp, o) -> committed.merge(tp, o.offset(), Math::max));
            metrics.committed();
          } else {
            LOG.warn("offset commit failed (retried at the next interval): {}", e.toString());
          }
        });
  }

  @Override
  public boolean busy(Collection<PartitionLedger> ledgers) {
    return commitInFlight.get()
        || toCommit.get() != null
        || ledgers.stream().anyMatch(PartitionLedger::hasSent);
  }

  @Override
  public void beforeRevoke(Consumer<?, ?> c, Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      Long next = committable.get(tp);
      if (next != null) {
        offsets.put(tp, new OffsetAndMetadata(next));
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    try {
      c.commitSync(offsets, Duration.ofSeconds(5));
      LOG.debug("committed {} before giving the partitions up", offsets);
    } catch (RuntimeException e) {
      LOG.warn("commit before revoking {} failed: {}", partitions, e.toString());
    }
  }

  @Override
  public void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(
        tp -> {
          committable.remove(tp);
          committed.remove(tp);
        });
  }

  @Override
  public Future<Void> close() {
    return sender.close(Duration.ofSeconds(5)).onComplete(v -> closeMeters());
  }

  @Override
  public void abandon() {
    committable.clear();
    sender.abandon();
    closeMeters();
  }

  private void closeMeters() {
    if (clientMeters != null) {
      clientMeters.close();
    }
  }
}
