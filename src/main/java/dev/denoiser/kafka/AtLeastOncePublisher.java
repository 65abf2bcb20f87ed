package dev.denoiser.kafka;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default guarantee. Output records go out as soon as their ledger releases them, through an
 * idempotent producer with {@code acks=all}; when every output of a slot is acknowledged the slot
 * is DONE, and every {@code kafka.commitIntervalMillis} the consumer commits, per partition, the
 * contiguous DONE prefix. A write that fails (for example a dead-letter topic that refuses the
 * record) is logged and retried with backoff, and its offset stays uncommitted until it succeeds.
 * A crash re-delivers what was not committed, so an input can have more than one output, never none.
 */
final class AtLeastOncePublisher implements Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(AtLeastOncePublisher.class);
  private static final long MAX_BACKOFF_MS = 10_000;
  private final Vertx vertx;
  private final KafkaWriteStream<String, byte[]> producer;
  private final KafkaReadStream<String, byte[]> consumer;
  private final GroupTracker group;
  private final KafkaMetrics metrics;
  /** Next offset to commit per partition; read by the polling thread in {@link #beforeRevoke}. */
  private final Map<TopicPartition, Long> committable = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private Future<Void> committing;

  AtLeastOncePublisher(Vertx vertx, KafkaOptions options, int instance, KafkaReadStream<String, byte[]> consumer,
      GroupTracker group, KafkaMetrics metrics) {
    this.vertx = vertx;
    this.consumer = consumer;
    this.group = group;
    this.metrics = metrics;
    this.producer = KafkaWriteStream.create(vertx, options.producerConfig(options.groupId() + "-publish-" + instance));
    this.producer.exceptionHandler(e -> LOG.debug("producer: {}", e.toString()));
  }

  @Override
  public Future<Void> start() {
    return Future.succeededFuture();
  }

  @Override
  public void released(PartitionLedger ledger) {
    for (Slot s : ledger.takeReady()) {
      s.unacked = s.outputs().size();
      for (ProducerRecord<String, byte[]> r : s.outputs()) {
        send(ledger, s, r, 0);
      }
    }
  }

  private void send(PartitionLedger ledger, Slot slot, ProducerRecord<String, byte[]> r, int attempt) {
    producer.send(r).onComplete(ar -> {
      if (ledger.closed()) {
        return;
      }
      if (ar.failed()) {
        long delay = Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt, 7));
        LOG.warn("could not write to {} the output of {}: {}; offset stays uncommitted, retrying in {} ms",
            r.topic(), slot, ar.cause().toString(), delay);
        metrics.sendRetried();
        vertx.setTimer(delay, id -> send(ledger, slot, r, attempt + 1));
        return;
      }
      if (--slot.unacked == 0) {
        ledger.done(slot);
        if (!slot.deadLetter()) {
          metrics.published(1);
        }
        long next = ledger.popDone();
        if (next >= 0) {
          committable.put(ledger.partition(), next);
        }
      }
    });
  }

  @Override
  public Future<Void> commit(Collection<PartitionLedger> ledgers) {
    if (committing != null) {
      return committing;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    GroupTracker.Assignment a = group.snapshot();
    committable.forEach((tp, next) -> {
      if (a.owned().contains(tp) && next > committed.getOrDefault(tp, -1L)) {
        offsets.put(tp, new OffsetAndMetadata(next));
      }
    });
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    committing = consumer.commit(offsets).<Void>mapEmpty()
        .onSuccess(v -> {
          offsets.forEach((tp, o) -> committed.merge(tp, o.offset(), Math::max));
          metrics.committed();
        })
        .onFailure(e -> LOG.warn("offset commit failed (retried at the next interval): {}", e.toString()))
        .recover(e -> Future.succeededFuture())
        .onComplete(v -> committing = null);
    return committing;
  }

  @Override
  public boolean busy(Collection<PartitionLedger> ledgers) {
    return committing != null || ledgers.stream().anyMatch(PartitionLedger::hasSent);
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
    partitions.forEach(tp -> {
      committable.remove(tp);
      committed.remove(tp);
    });
  }

  @Override
  public Future<Void> close() {
    return producer.close(5_000);
  }

  @Override
  public void abandon() {
    committable.clear();
    producer.unwrap().close(Duration.ZERO);
  }
}
