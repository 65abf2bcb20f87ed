package dev.denoiser.kafka.publish;

import dev.denoiser.kafka.client.KafkaMetrics;
import dev.denoiser.kafka.client.KafkaOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kafka.processing.guarantee=exactly_once}. Every {@code kafka.commitIntervalMillis} the
 * READY slots the ledgers release (of partitions this consumer still owns) go out in ONE
 * transaction of the native producer: their output records, then the next input offsets with {@code
 * sendOffsetsToTransaction} and the consumer's group metadata, then the commit. Readers with {@code
 * read_committed} see the outputs if and only if the offsets moved.
 *
 * <p>The native producer is driven from one dedicated thread. Fencing: {@code initTransactions}
 * fences an older producer with the same {@code transactional.id} and aborts its open transaction,
 * and the group coordinator refuses offsets sent with a stale generation. An abortable failure
 * aborts the transaction and asks the ingest to rewind those partitions to their last committed
 * offsets; a fatal one (fenced producer, authorization) goes to {@code onFatal} and stops the
 * ingest.
 */
public final class ExactlyOncePublisher implements Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(ExactlyOncePublisher.class);
  private final Context context;
  private final Producer<byte[], byte[]> producer;
  private final io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics clientMeters;
  private final ExecutorService thread;
  private final String transactionalId;
  private final GroupTracker group;
  private final KafkaMetrics metrics;
  private final Consumer<Set<TopicPartition>> rewind;
  private final Consumer<Throwable> onFatal;
  private boolean inTransaction;
  private boolean dead;
  private int aborts;
  private long retryAtNanos;

  public ExactlyOncePublisher(
      Context context,
      KafkaOptions options,
      int instance,
      GroupTracker group,
      KafkaMetrics metrics,
      Consumer<Set<TopicPartition>> rewind,
      Consumer<Throwable> onFatal) {
    this.context = context;
    this.group = group;
    this.metrics = metrics;
    this.rewind = rewind;
    this.onFatal = onFatal;
    this.transactionalId = options.transactionalId(instance);
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> new Thread(r, "denoiser-kafka-txn-" + transactionalId));
    this.producer = new KafkaProducer<>(options.transactionalProducerConfig(instance));
    this.clientMeters = metrics.bind(producer);
  }

  @Override
  public Future<Void> start() {
    return this.<Void>run(
            () -> {
              producer.initTransactions();
              return null;
            })
        .onSuccess(v -> LOG.info("transactional producer {} ready", transactionalId));
  }

  @Override
  public void released(PartitionLedger ledger) {
    // slots wait for the next transaction
  }

  @Override
  public Future<Void> commit(Collection<PartitionLedger> ledgers) {
    if (inTransaction || dead || System.nanoTime() - retryAtNanos < 0) {
      return Future.succeededFuture();
    }
    GroupTracker.Assignment a = group.snapshot();
    if (a.metadata() == null) {
      return Future.succeededFuture();
    }
    Map<PartitionLedger, List<Slot>> taken = new LinkedHashMap<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (PartitionLedger l : ledgers) {
      if (l.closed() || !a.owned().contains(l.partition())) {
        continue;
      }
      List<Slot> slots = l.takeReady();
      if (!slots.isEmpty()) {
        taken.put(l, slots);
        offsets.put(l.partition(), new OffsetAndMetadata(slots.get(slots.size() - 1).offset() + 1));
        slots.forEach(s -> records.addAll(s.outputs()));
      }
    }
    if (taken.isEmpty()) {
      return Future.succeededFuture();
    }
    inTransaction = true;
    return this.<Void>run(
            () -> {
              producer.beginTransaction();
              records.forEach(producer::send);
              producer.sendOffsetsToTransaction(offsets, a.metadata());
              commitTransaction();
              return null;
            })
        .transform(
            ar -> {
              inTransaction = false;
              if (ar.succeeded()) {
                aborts = 0;
                committed(taken);
                return Future.succeededFuture();
              }
              return failed(ar.cause(), offsets.keySet());
            });
  }

  private void commitTransaction() {
    for (int attempt = 1; ; attempt++) {
      try {
        producer.commitTransaction();
        return;
      } catch (TimeoutException e) {
        // the commit may be retried; anything else must abort
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  private void committed(Map<PartitionLedger, List<Slot>> taken) {
    metrics.committed();
    taken.forEach(
        (l, slots) -> {
          if (l.closed()) {
            return;
          }
          int frames = 0;
          for (Slot s : slots) {
            l.done(s);
            frames += s.deadLetter() ? 0 : 1;
          }
          l.popDone();
          metrics.published(frames);
        });
  }

  private Future<Void> failed(Throwable e, Set<TopicPartition> partitions) {
    if (dead) {
      return Future.succeededFuture();
    }
    if (KafkaErrors.fatal(e)) {
      dead = true;
      onFatal.accept(e);
      return Future.succeededFuture();
    }
    long backoff = Math.min(10_000, 100L << Math.min(aborts++, 7));
    retryAtNanos = System.nanoTime() + backoff * 1_000_000L;
    LOG.warn(
        "transaction of {} aborted ({}); rewinding them to their last committed offsets, next try in {} ms",
        partitions,
        e.toString(),
        backoff);
    metrics.aborted();
    return this.<Void>run(
            () -> {
              producer.abortTransaction();
              return null;
            })
        .transform(
            ar -> {
              if (ar.failed()) {
                dead = true;
                onFatal.accept(ar.cause());
              } else {
                rewind.accept(partitions);
              }
              return Future.succeededFuture();
            });
  }

  @Override
  public boolean busy(Collection<PartitionLedger> ledgers) {
    return inTransaction;
  }

  @Override
  public void beforeRevoke(
      org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
      Collection<TopicPartition> partitions) {
    // Offsets only move inside transactions; the work of revoked partitions is dropped.
  }

  @Override
  public void forget(Collection<TopicPartition> partitions) {
    // nothing held per partition outside the ledgers
  }

  @Override
  public Future<Void> close() {
    dead = true;
    return this.<Void>run(
            () -> {
              producer.close(Duration.ofSeconds(5));
              return null;
            })
        .onComplete(
            v -> {
              thread.shutdown();
              clientMeters.close();
            });
  }

  @Override
  public void abandon() {
    dead = true;
    thread.shutdownNow();
    producer.close(Duration.ZERO);
    clientMeters.close();
  }

  /** Runs {@code task} on the producer's thread; the future completes on the verticle's context. */
  private <T> Future<T> run(Callable<T> task) {
    Promise<T> p = Promise.promise();
    try {
      thread.execute(
          () -> {
            try {
              T v = task.call();
              context.runOnContext(x -> p.complete(v));
            } catch (Throwable e) {
              context.runOnContext(x -> p.fail(e));
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      p.fail(e);
    }
    return p.future();
  }
}
