package dev.denoiser.kafka.publish;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes output records with a native idempotent producer ({@code acks=all}) driven from one thread
 * of its own, so a send that must wait (topic metadata, a full buffer) never blocks the event loop.
 * What the event loop hands over in one turn goes to that thread as one task; a slot's
 * acknowledgement comes back to the event loop once, when all its records are written; a failed
 * record comes back on its own for the caller to retry.
 */
final class OutputSender {
  /** Told on the event loop. */
  interface Listener {
    void acked(Slot slot);

    void failed(Slot slot, ProducerRecord<byte[], byte[]> record, Exception e);
  }

  private record Out(Slot slot, ProducerRecord<byte[], byte[]> record) {}

  private final Context context;
  private final Listener listener;
  private final Producer<byte[], byte[]> producer;
  private final ExecutorService thread;
  private List<Out> pending = new ArrayList<>();

  OutputSender(Context context, Map<String, Object> config, String name, Listener listener) {
    this.context = context;
    this.listener = listener;
    this.producer = new KafkaProducer<>(config);
    this.thread =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "denoiser-kafka-send-" + name));
  }

  Producer<byte[], byte[]> producer() {
    return producer;
  }

  /**
   * Sends {@code records} of {@code slot}; the caller set {@code slot.unacked} to the slot's record
   * count first.
   */
  void send(Slot slot, List<ProducerRecord<byte[], byte[]>> records) {
    if (pending.isEmpty()) {
      context.runOnContext(v -> flush());
    }
    records.forEach(r -> pending.add(new Out(slot, r)));
  }

  private void flush() {
    List<Out> batch = pending;
    pending = new ArrayList<>();
    try {
      thread.execute(() -> batch.forEach(this::write));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed: nothing more is written, and nothing more committed
    }
  }

  private void write(Out o) {
    try {
      producer.send(
          o.record(),
          (md, e) -> {
            if (e != null) {
              context.runOnContext(v -> listener.failed(o.slot(), o.record(), e));
            } else if (o.slot().unacked.decrementAndGet() == 0) {
              context.runOnContext(v -> listener.acked(o.slot()));
            }
          });
    } catch (RuntimeException e) {
      context.runOnContext(v -> listener.failed(o.slot(), o.record(), e));
    }
  }

  /** Writes what was handed over, then closes the producer (waiting at most {@code timeout}). */
  Future<Void> close(Duration timeout) {
    flush();
    Promise<Void> p = Promise.promise();
    try {
      thread.execute(
          () -> {
            producer.close(timeout);
            context.runOnContext(v -> p.complete());
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      p.complete();
    }
    return p.future().onComplete(v -> thread.shutdown());
  }

  /** Closes at once: records not yet written are dropped (their offsets were never committed). */
  void abandon() {
    thread.shutdownNow();
    producer.close(Duration.ZERO);
  }
}
