package dev.denoiser.kafka.publish;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One input record on its way from poll to commit, in its partition's {@link PartitionLedger}.
 *
 * <p>States, in order: PENDING (being decoded or inferred), READY (its output records are built:
 * denoised + latent, or one dead letter), SENT (handed to the producer or to a transaction), DONE
 * (outputs acknowledged or committed). Only the event loop of its ingest verticle touches it.
 */
public final class Slot {
  enum State {
    PENDING,
    READY,
    SENT,
    DONE
  }

  public final ConsumerRecord<byte[], byte[]> record;
  private State state = State.PENDING;
  private List<ProducerRecord<byte[], byte[]>> outputs = List.of();
  private boolean deadLetter;

  /**
   * Output records still waiting for their acknowledgement (at-least-once; counted down by the
   * producer's thread).
   */
  final AtomicInteger unacked = new AtomicInteger();

  Slot(ConsumerRecord<byte[], byte[]> record) {
    this.record = record;
  }

  public long offset() {
    return record.offset();
  }

  State state() {
    return state;
  }

  void state(State s) {
    this.state = s;
  }

  List<ProducerRecord<byte[], byte[]>> outputs() {
    return outputs;
  }

  boolean deadLetter() {
    return deadLetter;
  }

  public void ready(List<ProducerRecord<byte[], byte[]>> out, boolean isDeadLetter) {
    if (state != State.PENDING) {
      throw new IllegalStateException(
          "slot at offset " + offset() + " is " + state + ", not PENDING");
    }
    this.outputs = List.copyOf(out);
    this.deadLetter = isDeadLetter;
    this.state = State.READY;
  }

  @Override
  public String toString() {
    return record.topic() + "-" + record.partition() + "@" + record.offset() + " " + state;
  }
}
