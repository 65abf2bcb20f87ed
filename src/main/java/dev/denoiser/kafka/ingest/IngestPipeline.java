package dev.denoiser.kafka.ingest;

import dev.denoiser.batching.InferenceClient;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.kafka.client.KafkaMetrics;
import dev.denoiser.kafka.publish.OutputRecords;
import dev.denoiser.kafka.publish.PartitionLedger;
import dev.denoiser.kafka.publish.Publisher;
import dev.denoiser.kafka.publish.Slot;
import dev.denoiser.source.CodecPool;
import dev.denoiser.source.MemoryBudget;
import dev.denoiser.source.OverloadPolicy;
import dev.denoiser.source.ServiceContext;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to one input record between poll and publish: it is decoded (or dead-lettered with
 * the reason), run through the batcher with the {@link InferenceClient}, kept in a {@link
 * RetryQueue} while the batcher refuses it (OVERLOADED, DEADLINE_EXCEEDED, MODEL_NOT_READY,
 * SHUTTING_DOWN: never dead-lettered), and its output records are put in its slot for the {@link
 * Publisher}. A record is decoded only once the in-flight byte budget has room for it (Kafka's
 * share, {@code memory.maxShare}); until then it waits, its partition paused, and it gives its
 * bytes back when it leaves the batcher. At most twice the queue slots Kafka can hold ({@code
 * batching.sourceWeights}) are at the batcher at once; the others wait in the same queue as refused
 * ones, and a waiting frame is offered each time another leaves the batcher, so the queue stays
 * full without being hammered. Records are decoded on the {@link CodecPool}, never on the event
 * loop; outputs still leave in input order, as the {@link PartitionLedger} releases them by offset.
 * Event loop only.
 */
final class IngestPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);
  private static final OverloadPolicy OVERLOAD = OverloadPolicy.KAFKA;
  private final ServiceContext svc;
  private final RecordDecoder decoder;
  private final OutputRecords outputs;
  private final Publisher publisher;
  private final KafkaMetrics metrics;
  private final RetryQueue retries = new RetryQueue();

  /**
   * Most frames at the batcher at once: twice its queue, so the queue stays full but is rarely
   * refused.
   */
  private final int window;

  private final MemoryBudget budget;
  private final CodecPool codecs;
  private int inferring;

  IngestPipeline(
      ServiceContext svc,
      OutputRecords outputs,
      Publisher publisher,
      KafkaMetrics metrics,
      CodecPool codecs) {
    this.svc = svc;
    this.codecs = codecs;
    this.decoder = new RecordDecoder(svc.gate());
    this.outputs = outputs;
    this.publisher = publisher;
    this.metrics = metrics;
    this.budget = svc.budget();
    // twice the queue slots Kafka can hold, so its share stays full but is rarely refused
    this.window = 2 * svc.policy().mostFor(KafkaIngestVerticle.SOURCE);
  }

  /** Takes a record just polled into {@code ledger}. */
  void take(PartitionLedger ledger, ConsumerRecord<byte[], byte[]> r) {
    Slot slot = ledger.add(r);
    metrics.consumed(1);
    RetryQueue.Entry e = new RetryQueue.Entry(ledger, slot, null, null);
    if (!retries.isEmpty() || inferring >= window || !start(e)) {
      retries.add(e);
    }
  }

  /**
   * Takes the record's decode cost from the byte budget and decodes it on the codec pool, then
   * submits it; a record that cannot be decoded is dead-lettered. False when the budget has no
   * room: the caller keeps it waiting (its partition paused), nothing is dropped. A decode counts
   * in the window like a frame at the batcher.
   */
  private boolean start(RetryQueue.Entry e) {
    if (e.request() != null) {
      submit(e);
      return true;
    }
    ConsumerRecord<byte[], byte[]> r = e.slot().record;
    MemoryBudget.Lease lease;
    try {
      lease = budget.tryAcquire(KafkaIngestVerticle.SOURCE, decoder.cost(r));
    } catch (RuntimeException ex) {
      refuse(e, ex);
      return true;
    }
    if (lease == null) {
      return false; // counted by the budget (denoiser_memory_refusals{source="kafka"})
    }
    inferring++;
    codecs
        .run("kafka", () -> decoder.decode(r))
        .onComplete(
            ar -> {
              inferring--;
              if (e.ledger().closed()) {
                lease.close();
              } else if (ar.succeeded()) {
                submit(new RetryQueue.Entry(e.ledger(), e.slot(), ar.result(), lease));
                return;
              } else {
                lease.close();
                refuse(e, ar.cause());
              }
              probe();
            });
    return true;
  }

  /** Dead-letters a record that could not be decoded (a typed error, or INVALID_FRAME). */
  private void refuse(RetryQueue.Entry e, Throwable cause) {
    DenoiserException ex =
        cause instanceof DenoiserException d
            ? d
            : new DenoiserException(ErrorCode.INVALID_FRAME, "cannot decode: " + cause);
    if (cause instanceof DenoiserException) {
      svc.metrics().rejected(KafkaIngestVerticle.SOURCE, ex.code());
    }
    deadLetter(e.ledger(), e.slot(), ex);
  }

  private void submit(RetryQueue.Entry e) {
    inferring++;
    svc.client()
        .submit(e.request().frame(), e.request().model(), 0, KafkaIngestVerticle.SOURCE)
        .onComplete(
            ar -> {
              inferring--;
              DenoiserException err =
                  ar.succeeded() ? null : InferenceClient.toError(ar.cause(), e.request().model());
              boolean refused = err != null && OVERLOAD.retries(err.code());
              if (!refused) {
                e.release();
                // this frame left the batcher's queue: a refused one may take its place
                probe();
              }
              if (e.ledger().closed()) {
                e.release();
                return;
              }
              if (err == null) {
                var out = outputs.results(e.slot().record, e.request(), ar.result());
                if (outputs.fits(out)) {
                  e.slot().ready(out, false);
                  publisher.released(e.ledger());
                } else {
                  metrics.truncated("output");
                  deadLetter(
                      e.ledger(),
                      e.slot(),
                      new DenoiserException(
                          ErrorCode.PAYLOAD_TOO_LARGE,
                          "the output is larger than kafka.maxRecordBytes"));
                }
              } else if (refused) {
                metrics.retried(err.code());
                retries.add(e);
              } else {
                deadLetter(e.ledger(), e.slot(), err);
              }
            });
  }

  /** Offers the oldest waiting frame again, if any and if the window has room. */
  void probe() {
    RetryQueue.Entry next = inferring < window ? retries.poll() : null;
    if (next != null && !start(next)) {
      retries.addFirst(next);
    }
  }

  private void deadLetter(PartitionLedger ledger, Slot slot, DenoiserException e) {
    LOG.warn(
        "dead letter {}-{} offset {}: {}",
        slot.record.topic(),
        slot.record.partition(),
        slot.offset(),
        e.toString());
    metrics.deadLetter(e.code());
    var dead = outputs.deadLetter(slot.record, e);
    if (OutputRecords.truncated(dead)) {
      metrics.truncated("dead_letter");
    }
    slot.ready(List.of(dead), true);
    publisher.released(ledger);
  }

  /** Partitions with refused frames waiting: they stay paused. */
  Set<TopicPartition> waiting() {
    return retries.partitions();
  }

  /** No frame at the batcher and none waiting. */
  boolean idle() {
    return inferring == 0 && retries.isEmpty();
  }

  /** Forgets the waiting frames of partitions given up or rewound. */
  void drop(Collection<TopicPartition> partitions) {
    retries.drop(partitions);
  }
}
