package dev.denoiser.kafka.ingest;

import dev.denoiser.kafka.client.KafkaMetrics;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses and resumes input partitions, never the whole consumer: the consumer keeps polling while
 * partitions are paused, so it stays in its group (no {@code max.poll.interval.ms} expiry, no
 * rebalance) and resumes exactly where it stopped.
 *
 * <p>{@link #reconcile} is given the partitions that should be paused now (those with refused
 * frames waiting, or all of them while too many records are in flight) and sends the difference to
 * the consumer's polling thread.
 */
final class FlowControl {
  private static final Logger LOG = LoggerFactory.getLogger(FlowControl.class);
  private final KafkaReadStream<?, ?> stream;
  private final KafkaMetrics metrics;
  private final Set<TopicPartition> paused = new HashSet<>();

  FlowControl(KafkaReadStream<?, ?> stream, KafkaMetrics metrics) {
    this.stream = stream;
    this.metrics = metrics;
  }

  /**
   * Pauses {@code wanted} (a subset of {@code owned}) and resumes the other owned partitions paused
   * here.
   */
  void reconcile(Set<TopicPartition> wanted, Set<TopicPartition> owned) {
    Set<TopicPartition> toPause = new HashSet<>();
    for (TopicPartition tp : wanted) {
      if (owned.contains(tp) && !paused.contains(tp)) {
        toPause.add(tp);
      }
    }
    Set<TopicPartition> toResume = new HashSet<>();
    for (TopicPartition tp : paused) {
      if (!wanted.contains(tp) && owned.contains(tp)) {
        toResume.add(tp);
      }
    }
    if (!toPause.isEmpty()) {
      paused.addAll(toPause);
      metrics.pausedDelta(toPause.size());
      LOG.debug("pausing {}", toPause);
      stream.pause(toPause).onFailure(e -> LOG.debug("pause {} failed: {}", toPause, e.toString()));
    }
    if (!toResume.isEmpty()) {
      paused.removeAll(toResume);
      metrics.pausedDelta(-toResume.size());
      LOG.debug("resuming {}", toResume);
      stream
          .resume(toResume)
          .onFailure(e -> LOG.debug("resume {} failed: {}", toResume, e.toString()));
    }
  }

  /** Forgets partitions that left this consumer (their pause went with them). */
  void forget(Collection<TopicPartition> gone) {
    for (TopicPartition tp : gone) {
      if (paused.remove(tp)) {
        metrics.pausedDelta(-1);
      }
    }
  }

  boolean isPaused(TopicPartition tp) {
    return paused.contains(tp);
  }

  int pausedCount() {
    return paused.size();
  }
}
