package dev.denoiser.kafka.publish;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The in-order completion buffer of one input partition: every record taken from it and not yet
 * committed, oldest first, as {@link Slot}s.
 *
 * <p>Inference completes out of order (batches, several workers), but outputs leave in input order:
 * {@link #takeReady()} releases only the READY slots at the front, so the outputs of one key are
 * published in the order its records came. The offset to commit is one past the last slot of the
 * contiguous DONE prefix ({@link #popDone()}), so a record is never committed before its outputs,
 * nor before the records ahead of it.
 *
 * <p>Single-threaded: the ingest verticle's event loop. {@link #close()} is for a partition revoked
 * or rewound: late completions see {@link #closed()} and are dropped.
 */
public final class PartitionLedger {
  private final TopicPartition partition;
  private final ArrayDeque<Slot> unsent = new ArrayDeque<>();
  private final ArrayDeque<Slot> sent = new ArrayDeque<>();
  private boolean closed;
  private long bytes;
  private boolean seeking;

  public PartitionLedger(TopicPartition partition) {
    this.partition = partition;
  }

  public TopicPartition partition() {
    return partition;
  }

  /** Appends a record just polled; records must come in offset order. */
  public Slot add(ConsumerRecord<byte[], byte[]> record) {
    if (record.offset() <= lastOffset()) {
      throw new IllegalArgumentException(
          "offset " + record.offset() + " of " + partition + " is not after " + lastOffset());
    }
    Slot s = new Slot(record);
    unsent.addLast(s);
    bytes += sizeOf(record);
    return s;
  }

  /** Offset of the last record added, or -1. */
  public long lastOffset() {
    Slot last = unsent.isEmpty() ? sent.peekLast() : unsent.peekLast();
    return last == null ? -1 : last.offset();
  }

  /**
   * Marks the front READY slots SENT and returns them in offset order; stops at the first one not
   * ready.
   */
  List<Slot> takeReady() {
    List<Slot> out = new ArrayList<>();
    while (!unsent.isEmpty() && unsent.peekFirst().state() == Slot.State.READY) {
      Slot s = unsent.pollFirst();
      s.state(Slot.State.SENT);
      sent.addLast(s);
      out.add(s);
    }
    return out;
  }

  /** Marks a SENT slot DONE (its outputs are acknowledged or committed). */
  void done(Slot s) {
    if (s.state() != Slot.State.SENT) {
      throw new IllegalStateException("slot " + s + " is not SENT");
    }
    s.state(Slot.State.DONE);
  }

  /**
   * Removes the DONE slots at the front.
   *
   * @return the offset to commit (one past the last removed), or -1 if none was removed
   */
  long popDone() {
    long next = -1;
    while (!sent.isEmpty() && sent.peekFirst().state() == Slot.State.DONE) {
      Slot s = sent.pollFirst();
      bytes -= sizeOf(s.record);
      next = s.offset() + 1;
    }
    return next;
  }

  /** Offset of the oldest record not yet committed, or -1 when the ledger is empty. */
  public long firstOffset() {
    Slot s = sent.isEmpty() ? unsent.peekFirst() : sent.peekFirst();
    return s == null ? -1 : s.offset();
  }

  /** Records held: taken from Kafka, not yet committed. */
  public int size() {
    return unsent.size() + sent.size();
  }

  /** Bytes of the records held (keys, values and headers). */
  public long bytes() {
    return bytes;
  }

  /** What a record holds in memory: its key, value and headers. */
  public static long sizeOf(ConsumerRecord<byte[], byte[]> r) {
    long n = (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
    for (var h : r.headers()) {
      n += h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    return n;
  }

  /** Slots handed to the producer and not yet acknowledged. */
  boolean hasSent() {
    return sent.stream().anyMatch(s -> s.state() == Slot.State.SENT);
  }

  public void close() {
    closed = true;
  }

  public boolean closed() {
    return closed;
  }

  /** While true, records polled before a rewind's seek took effect are ignored. */
  public boolean seeking() {
    return seeking;
  }

  public void seeking(boolean s) {
    seeking = s;
  }
}
