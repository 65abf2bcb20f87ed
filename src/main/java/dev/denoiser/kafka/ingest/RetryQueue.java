package dev.denoiser.kafka.ingest;

import dev.denoiser.kafka.publish.FrameRequest;
import dev.denoiser.kafka.publish.PartitionLedger;
import dev.denoiser.kafka.publish.Slot;
import dev.denoiser.source.MemoryBudget;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Records waiting, oldest first: frames the batcher refused for now (OVERLOADED and the like) and
 * records the in-flight byte budget had no room to decode yet; their partitions stay paused while
 * they wait. Nothing here is ever dropped except with its partition (revoked or rewound), whose
 * next owner reads the records again.
 */
final class RetryQueue {
  /**
   * A waiting record and where it belongs: not yet decoded ({@code request} and {@code lease} null:
   * the byte budget had no room), or decoded and refused by the batcher (holding its budget lease).
   */
  record Entry(PartitionLedger ledger, Slot slot, FrameRequest request, MemoryBudget.Lease lease) {
    /** Gives the frame's bytes back to the budget (no-op before it was taken). */
    void release() {
      if (lease != null) {
        lease.close();
      }
    }
  }

  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private final Map<TopicPartition, Integer> perPartition = new HashMap<>();

  void add(Entry e) {
    queue.addLast(e);
    perPartition.merge(e.ledger().partition(), 1, Integer::sum);
  }

  /** Puts an entry back at the head (the budget had no room for it yet). */
  void addFirst(Entry e) {
    queue.addFirst(e);
    perPartition.merge(e.ledger().partition(), 1, Integer::sum);
  }

  /** The oldest entry whose ledger is still open, or null. */
  Entry poll() {
    Entry e;
    while ((e = queue.pollFirst()) != null) {
      perPartition.computeIfPresent(e.ledger().partition(), (k, n) -> n == 1 ? null : n - 1);
      if (!e.ledger().closed()) {
        return e;
      }
      e.release();
    }
    return null;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  int size() {
    return queue.size();
  }

  /** Partitions with frames waiting. */
  Set<TopicPartition> partitions() {
    return perPartition.keySet();
  }

  /** Forgets the entries of {@code partitions}. */
  void drop(Collection<TopicPartition> partitions) {
    queue.removeIf(
        e -> {
          boolean gone = partitions.contains(e.ledger().partition());
          if (gone) {
            e.release();
          }
          return gone;
        });
    partitions.forEach(perPartition::remove);
  }
}
