package dev.denoiser.kafka.publish;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * Knows, at every moment, which input partitions this consumer owns and its group metadata
 * (generation, member id) for {@code sendOffsetsToTransaction}.
 *
 * <p>The native consumer is single-threaded and vertx-kafka-client polls it on its own thread; it
 * runs the rebalance callbacks there, inside {@code poll()}, and only then tells the event loop.
 * {@link #wrap} puts a listener in front of vertx's one, so the owned set and the metadata are
 * updated on the polling thread, before the consumer rejoins and before any other member can be
 * given the partitions. The event loop reads them with {@link #snapshot()}: a transaction only
 * carries partitions the snapshot owns, with that snapshot's generation, so work of a revoked
 * partition is never committed, and a stale generation is refused by the group coordinator.
 */
public final class GroupTracker {
  /** The partitions owned and the group metadata of the generation that gave them. */
  public record Assignment(ConsumerGroupMetadata metadata, Set<TopicPartition> owned) {}

  private final AtomicReference<Assignment> current =
      new AtomicReference<>(new Assignment(null, Set.of()));
  private volatile BiConsumer<Consumer<?, ?>, Collection<TopicPartition>> beforeRevoke =
      (c, p) -> {};
  private volatile java.util.function.Consumer<Consumer<?, ?>> beforePoll = c -> {};

  public Assignment snapshot() {
    return current.get();
  }

  public boolean owns(TopicPartition tp) {
    return current.get().owned().contains(tp);
  }

  /**
   * Runs on the polling thread before partitions are given up (not when they are lost), with the
   * native consumer, which may be used there: the at-least-once mode commits what is done.
   */
  public void beforeRevoke(BiConsumer<Consumer<?, ?>, Collection<TopicPartition>> hook) {
    this.beforeRevoke = hook;
  }

  /**
   * Runs on the polling thread before every {@code poll}, with the native consumer: the
   * at-least-once mode issues its {@code commitAsync} there, so committing never blocks polling.
   */
  public void beforePoll(java.util.function.Consumer<Consumer<?, ?>> hook) {
    this.beforePoll = hook;
  }

  /** A consumer that behaves as {@code delegate} but reports its rebalances here first. */
  @SuppressWarnings("unchecked")
  public <K, V> Consumer<K, V> wrap(Consumer<K, V> delegate) {
    return (Consumer<K, V>)
        Proxy.newProxyInstance(
            Consumer.class.getClassLoader(),
            new Class<?>[] {Consumer.class},
            (proxy, method, args) -> {
              Object[] a = args;
              if (method.getName().equals("subscribe")
                  && a != null
                  && a.length == 2
                  && a[1] instanceof ConsumerRebalanceListener downstream) {
                a = new Object[] {a[0], listener(delegate, downstream)};
              } else if (method.getName().equals("poll")) {
                beforePoll.accept(delegate);
              }
              try {
                return method.invoke(delegate, a);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private ConsumerRebalanceListener listener(
      Consumer<?, ?> consumer, ConsumerRebalanceListener downstream) {
    return new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
          beforeRevoke.accept(consumer, partitions);
        }
        update(consumer, partitions, false);
        downstream.onPartitionsRevoked(partitions);
      }

      @Override
      public void onPartitionsLost(Collection<TopicPartition> partitions) {
        update(consumer, partitions, false);
        downstream.onPartitionsLost(partitions);
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        update(consumer, partitions, true);
        downstream.onPartitionsAssigned(partitions);
      }
    };
  }

  private void update(Consumer<?, ?> consumer, Collection<TopicPartition> changed, boolean added) {
    Set<TopicPartition> owned = new HashSet<>(current.get().owned());
    if (added) {
      owned.addAll(changed);
    } else {
      owned.removeAll(changed);
    }
    current.set(new Assignment(consumer.groupMetadata(), Set.copyOf(owned)));
  }
}
