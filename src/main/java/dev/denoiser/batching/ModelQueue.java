package dev.denoiser.batching;

import dev.denoiser.frame.Frame;
import dev.denoiser.inference.InferenceRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The waiting requests of one model, oldest first per source, and the rule that turns them into
 * batches. Single-threaded (the batcher's event loop); no Vert.x types, so tests drive it directly.
 *
 * <p>Fairness between sources ({@link BatchPolicy#sourceWeights()}): each source has slots of the
 * queue reserved for it, which no other source can take, so a Kafka backlog leaves room for HTTP
 * and WebSocket callers; free slots beyond the reservations go to whoever comes. Batches are led by
 * the sources in weighted turn (smooth weighted round robin), and filled with frames of the
 * leader's shape, its own first. A batch holds at most {@link BatchPolicy#maxBatchPixels()} values,
 * except that its first frame always goes in.
 *
 * @param <T> what is queued (the batcher queues the event-bus message with its request)
 */
public final class ModelQueue<T> {
  /** A queued item, with its request, when it arrived and which source sent it. */
  public record Entry<T>(T item, InferenceRequest request, long arrivedNanos, String source) {
    public Entry {
      source = source == null ? BatchPolicy.DEFAULT_SOURCE : source;
    }

    /** An entry of the default source. */
    public Entry(T item, InferenceRequest request, long arrivedNanos) {
      this(item, request, arrivedNanos, BatchPolicy.DEFAULT_SOURCE);
    }
  }

  private final Map<String, ArrayDeque<Entry<T>>> bySource = new LinkedHashMap<>();
  private final Map<String, Long> turn = new HashMap<>();
  private final BatchPolicy policy;
  private int size;

  public ModelQueue(BatchPolicy policy) {
    this.policy = policy;
  }

  public int size() {
    return size;
  }

  /** Requests of {@code source} queued. */
  public int size(String source) {
    ArrayDeque<Entry<T>> q = bySource.get(source);
    return q == null ? 0 : q.size();
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /**
   * Queues an entry; false when the queue is full for its source (the caller answers OVERLOADED):
   * no slot is free, or the free ones are reserved for other sources.
   */
  public boolean offer(Entry<T> e) {
    if (size >= policy.queueSize()) {
      return false;
    }
    String src = e.source();
    if (size(src) >= policy.reserved(src)) {
      int othersUnused = 0;
      for (String o : policy.sourceWeights().keySet()) {
        if (!o.equals(src)) {
          othersUnused += Math.max(0, policy.reserved(o) - size(o));
        }
      }
      if (size + 1 + othersUnused > policy.queueSize()) {
        return false;
      }
    }
    bySource.computeIfAbsent(src, s -> new ArrayDeque<>()).addLast(e);
    size++;
    return true;
  }

  private Entry<T> oldest() {
    Entry<T> best = null;
    for (ArrayDeque<Entry<T>> q : bySource.values()) {
      Entry<T> head = q.peekFirst();
      if (head != null && (best == null || head.arrivedNanos() - best.arrivedNanos() < 0)) {
        best = head;
      }
    }
    return best;
  }

  /**
   * Whether a free worker should take a batch now: the queue holds a full batch, or
   * maxBatchDelayMicros has passed since the oldest arrived (0: always, once anything is queued).
   */
  public boolean ready(long nowNanos) {
    if (size == 0) {
      return false;
    }
    if (policy.maxBatchDelayMicros() == 0 || size >= policy.maxBatchSize()) {
      return true;
    }
    return nowNanos - oldest().arrivedNanos() >= policy.maxBatchDelayMicros() * 1000L;
  }

  /** Nanoseconds until {@link #ready} turns true without new arrivals, or -1 if empty. */
  public long nanosUntilReady(long nowNanos) {
    if (size == 0) {
      return -1;
    }
    long due = oldest().arrivedNanos() + policy.maxBatchDelayMicros() * 1000L;
    return Math.max(0, due - nowNanos);
  }

  /** Removes every expired request, handing each to {@code expired}. */
  public void dropExpired(long nowNanos, Consumer<Entry<T>> expired) {
    for (ArrayDeque<Entry<T>> q : bySource.values()) {
      Iterator<Entry<T>> it = q.iterator();
      while (it.hasNext()) {
        Entry<T> e = it.next();
        if (e.request().expired(nowNanos)) {
          it.remove();
          size--;
          expired.accept(e);
        }
      }
    }
  }

  /**
   * Takes the next batch: the source whose turn it is leads with its oldest live request, then the
   * following requests of the same shape, its own first and then the other sources' in turn, up to
   * maxBatchSize frames and maxBatchPixels values, in arrival order per source. Requests of other
   * shapes keep their place. Expired requests met on the way are removed and handed to {@code
   * expired}; they never run.
   */
  public List<Entry<T>> nextBatch(long nowNanos, Consumer<Entry<T>> expired) {
    List<Entry<T>> batch = new ArrayList<>(Math.min(size, policy.maxBatchSize()));
    for (ArrayDeque<Entry<T>> q : bySource.values()) {
      while (!q.isEmpty() && q.peekFirst().request().expired(nowNanos)) {
        size--;
        expired.accept(q.pollFirst());
      }
    }
    String lead = leader();
    if (lead == null) {
      return batch;
    }
    List<String> order = new ArrayList<>(bySource.keySet());
    order.remove(lead);
    order.sort(Comparator.comparingInt(policy::weight).reversed());
    order.add(0, lead);
    Frame shape = null;
    long pixels = 0;
    for (String src : order) {
      Iterator<Entry<T>> it = bySource.get(src).iterator();
      while (it.hasNext() && batch.size() < policy.maxBatchSize()) {
        Entry<T> e = it.next();
        if (e.request().expired(nowNanos)) {
          it.remove();
          size--;
          expired.accept(e);
          continue;
        }
        Frame f = e.request().frame();
        if (shape == null) {
          shape = f;
        } else if (!f.sameShape(shape)) {
          continue;
        } else if (pixels + f.pixelCount() > policy.maxBatchPixels()) {
          return batch;
        }
        it.remove();
        size--;
        pixels += f.pixelCount();
        batch.add(e);
      }
    }
    return batch;
  }

  /** The source that leads the next batch: smooth weighted round robin over the non-empty ones. */
  private String leader() {
    String best = null;
    long sum = 0;
    for (Map.Entry<String, ArrayDeque<Entry<T>>> q : bySource.entrySet()) {
      if (q.getValue().isEmpty()) {
        continue;
      }
      String s = q.getKey();
      int w = policy.weight(s);
      sum += w;
      long t = turn.merge(s, (long) w, Long::sum);
      if (best == null || t > turn.get(best)) {
        best = s;
      }
    }
    if (best != null) {
      turn.merge(best, -sum, Long::sum);
    }
    return best;
  }

  /** Puts entries that could not run back at the head of their sources, in their order. */
  public void requeueFront(List<Entry<T>> entries) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry<T> e = entries.get(i);
      bySource.computeIfAbsent(e.source(), s -> new ArrayDeque<>()).addFirst(e);
      size++;
    }
  }

  /** Removes and returns everything queued (shutdown), oldest first. */
  public List<Entry<T>> drain() {
    List<Entry<T>> all = new ArrayList<>(size);
    bySource.values().forEach(all::addAll);
    bySource.values().forEach(ArrayDeque::clear);
    all.sort(Comparator.comparingLong(Entry::arrivedNanos));
    size = 0;
    return all;
  }
}
