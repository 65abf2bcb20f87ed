package dev.denoiser.kafka.ingest;

import dev.denoiser.kafka.publish.FrameRequest;
import dev.denoiser.kafka.publish.PartitionLedger;
import dev.denoiser.kafka.publish.Slot;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Frames the batcher refused for now (OVERLOADED and the like), oldest first, waiting to be offered
 * again; their partitions stay paused while they wait. Nothing here is ever dropped except with
 * its partition (revoked or rewound), whose next owner reads the records again.
 */
final class RetryQueue {
  /** A refused frame and where it belongs. */
  record Entry(PartitionLedger ledger, Slot slot, FrameRequest request) {}

  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private final Map<TopicPartition, Integer> perPartition = new HashMap<>();

  void add(Entry e) {
    queue.addLast(e);
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
    queue.removeIf(e -> partitions.contains(e.ledger().partition()));
    partitions.forEach(perPartition::remove);
  }
}
