package dev.denoiser.kafka.ingest;

import dev.denoiser.batching.InferenceClient;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.kafka.client.KafkaMetrics;
import dev.denoiser.kafka.publish.FrameRequest;
import dev.denoiser.kafka.publish.OutputRecords;
import dev.denoiser.kafka.publish.PartitionLedger;
import dev.denoiser.kafka.publish.Publisher;
import dev.denoiser.kafka.publish.Slot;
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
 * the reason), run through the batcher with the {@link InferenceClient}, kept in a
 * {@link RetryQueue} while the batcher refuses it (OVERLOADED, DEADLINE_EXCEEDED, MODEL_NOT_READY,
 * SHUTTING_DOWN: never dead-lettered), and its output records are put in its slot for the
 * {@link Publisher}. At most twice the batcher's queue size of frames are at the batcher at once;
 * the others wait in the same queue as refused ones, and a waiting frame is offered each time
 * another leaves the batcher, so the queue stays full without being hammered. Event loop only.
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
  /** Most frames at the batcher at once: twice its queue, so the queue stays full but is rarely refused. */
  private final int window;
  private int inferring;

  IngestPipeline(ServiceContext svc, OutputRecords outputs, Publisher publisher, KafkaMetrics metrics) {
    this.svc = svc;
    this.decoder = new RecordDecoder(svc.gate());
    this.outputs = outputs;
    this.publisher = publisher;
    this.metrics = metrics;
    this.window = 2 * svc.policy().queueSize();
  }

  /** Takes a record just polled into {@code ledger}. */
  void take(PartitionLedger ledger, ConsumerRecord<byte[], byte[]> r) {
    Slot slot = ledger.add(r);
    metrics.consumed(1);
    FrameRequest req;
    try {
      req = decoder.decode(r);
    } catch (DenoiserException e) {
      svc.metrics().rejected(KafkaIngestVerticle.SOURCE, e.code());
      deadLetter(ledger, slot, e);
      return;
    } catch (RuntimeException e) {
      deadLetter(ledger, slot, new DenoiserException(ErrorCode.INVALID_FRAME, "cannot decode: " + e));
      return;
    }
    RetryQueue.Entry e = new RetryQueue.Entry(ledger, slot, req);
    if (retries.isEmpty() && inferring < window) {
      submit(e);
    } else {
      retries.add(e);
    }
  }

  private void submit(RetryQueue.Entry e) {
    inferring++;
    svc.client().submit(e.request().frame(), e.request().model(), 0).onComplete(ar -> {
      inferring--;
      DenoiserException err = ar.succeeded() ? null : InferenceClient.toError(ar.cause(), e.request().model());
      boolean refused = err != null && OVERLOAD.retries(err.code());
      if (!refused) {
        // this frame left the batcher's queue: a refused one may take its place
        probe();
      }
      if (e.ledger().closed()) {
        return;
      }
      if (err == null) {
        e.slot().ready(outputs.results(e.slot().record, e.request(), ar.result()), false);
        publisher.released(e.ledger());
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
    if (next != null) {
      submit(next);
    }
  }

  private void deadLetter(PartitionLedger ledger, Slot slot, DenoiserException e) {
    LOG.warn("dead letter {}-{} offset {}: {}", slot.record.topic(), slot.record.partition(), slot.offset(), e.toString());
    metrics.deadLetter(e.code());
    slot.ready(List.of(outputs.deadLetter(slot.record, e)), true);
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
