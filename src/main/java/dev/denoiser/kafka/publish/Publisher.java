package dev.denoiser.kafka.publish;

import io.vertx.core.Future;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes the output records the {@link PartitionLedger}s release, in their order, and commits the
 * input offsets behind them: {@link AtLeastOncePublisher} (acknowledged sends, then offset commits)
 * or {@link ExactlyOncePublisher} (outputs and offsets in one transaction). Everything but {@link
 * #beforeRevoke} runs on the ingest verticle's event loop.
 */
public interface Publisher {
  /**
   * Gets the producer ready (exactly-once: {@code initTransactions}, which fences older producers).
   */
  Future<Void> start();

  /** A slot of {@code ledger} became READY. */
  void released(PartitionLedger ledger);

  /** Every commit interval, and once more at shutdown: commits what is done. */
  Future<Void> commit(Collection<PartitionLedger> ledgers);

  /** Outputs on their way: sent and not acknowledged, or a transaction running. */
  boolean busy(Collection<PartitionLedger> ledgers);

  /** On the consumer's polling thread, before it gives up {@code partitions}. */
  void beforeRevoke(Consumer<?, ?> consumer, Collection<TopicPartition> partitions);

  /** On the consumer's polling thread, before each poll. */
  default void beforePoll(Consumer<?, ?> consumer) {}

  /** Partitions gone from this consumer: forget their offsets. */
  void forget(Collection<TopicPartition> partitions);

  /** Closes the producer after what it has was sent. */
  Future<Void> close();

  /**
   * Closes the producer at once, committing and aborting nothing (a crash, or a fenced producer).
   */
  void abandon();
}
