package dev.denoiser.batching;

import dev.denoiser.frame.Frame;
import dev.denoiser.inference.InferenceRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The waiting requests of one model, oldest first, and the rule that turns them into batches.
 * Single-threaded (the batcher's event loop); no Vert.x types, so tests drive it directly.
 *
 * @param <T> what is queued (the batcher queues the event-bus message with its request)
 */
public final class ModelQueue<T> {
  /** A queued item, with its request and when it arrived. */
  public record Entry<T>(T item, InferenceRequest request, long arrivedNanos) {}

  private final ArrayDeque<Entry<T>> queue = new ArrayDeque<>();
  private final BatchPolicy policy;

  public ModelQueue(BatchPolicy policy) {
    this.policy = policy;
  }

  public int size() {
    return queue.size();
  }

  public boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Queues an entry; false when the queue is full (the caller answers OVERLOADED). */
  public boolean offer(Entry<T> e) {
    if (queue.size() >= policy.queueSize()) {
      return false;
    }
    queue.addLast(e);
    return true;
  }

  /**
   * Whether a free worker should take a batch now: the queue holds a full batch, or
   * maxBatchDelayMicros has passed since the oldest arrived (0: always, once anything is queued).
   */
  public boolean ready(long nowNanos) {
    if (queue.isEmpty()) {
      return false;
    }
    if (policy.maxBatchDelayMicros() == 0 || queue.size() >= policy.maxBatchSize()) {
      return true;
    }
    return nowNanos - queue.peekFirst().arrivedNanos() >= policy.maxBatchDelayMicros() * 1000L;
  }

  /** Nanoseconds until {@link #ready} turns true without new arrivals, or -1 if empty. */
  public long nanosUntilReady(long nowNanos) {
    if (queue.isEmpty()) {
      return -1;
    }
    long due = queue.peekFirst().arrivedNanos() + policy.maxBatchDelayMicros() * 1000L;
    return Math.max(0, due - nowNanos);
  }

  /** Removes every expired request, handing each to {@code expired}. */
  public void dropExpired(long nowNanos, Consumer<Entry<T>> expired) {
    Iterator<Entry<T>> it = queue.iterator();
    while (it.hasNext()) {
      Entry<T> e = it.next();
      if (e.request().expired(nowNanos)) {
        it.remove();
        expired.accept(e);
      }
    }
  }

  /**
   * Takes the next batch: the oldest live request and the following ones of the same shape, up to
   * maxBatchSize, in arrival order. Requests of other shapes keep their place. Expired requests met
   * on the way are removed and handed to {@code expired}; they never run.
   */
  public List<Entry<T>> nextBatch(long nowNanos, Consumer<Entry<T>> expired) {
    List<Entry<T>> batch = new ArrayList<>(Math.min(queue.size(), policy.maxBatchSize()));
    Frame shape = null;
    Iterator<Entry<T>> it = queue.iterator();
    while (it.hasNext() && batch.size() < policy.maxBatchSize()) {
      Entry<T> e = it.next();
      if (e.request().expired(nowNanos)) {
        it.remove();
        expired.accept(e);
        continue;
      }
      Frame f = e.request().frame();
      if (shape == null) {
        shape = f;
      } else if (!f.sameShape(shape)) {
        continue;
      }
      it.remove();
      batch.add(e);
    }
    return batch;
  }

  /** Puts entries that could not run back at the head, in their order. */
  public void requeueFront(List<Entry<T>> entries) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      queue.addFirst(entries.get(i));
    }
  }

  /** Removes and returns everything queued (shutdown). */
  public List<Entry<T>> drain() {
    List<Entry<T>> all = new ArrayList<>(queue);
    queue.clear();
    return all;
  }
}
