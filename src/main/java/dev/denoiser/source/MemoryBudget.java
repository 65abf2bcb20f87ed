package dev.denoiser.source;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-flight byte budget every source shares ({@code memory.inflightBytes}): a frame's {@link
 * FrameCost} is taken before it is decoded and given back when its reply is sent or it fails. A
 * source may hold at most its share of the budget ({@code memory.maxShare}, Kafka half by default),
 * so a backlog on one source leaves room for the others. Thread-safe (HTTP and WebSocket take from
 * several event loops and from the codec pool).
 *
 * <p>A frame larger than the whole budget is still taken when nothing else is in flight, so a large
 * but allowed frame ({@code frame.maxPixels}) runs alone rather than never.
 *
 * <p>Meters: {@code denoiser_inflight_bytes} (gauge, by source), {@code
 * denoiser_inflight_bytes_limit}, {@code denoiser_memory_refusals_total} (by source).
 */
public final class MemoryBudget {
  /** Share of {@code Runtime.maxMemory()} used when {@code memory.inflightBytes} is 0. */
  public static final double DEFAULT_HEAP_SHARE = 0.25;

  private final long capacity;
  private final Map<String, Double> shares;
  private final AtomicLong used = new AtomicLong();
  private final Map<String, AtomicLong> bySource = new ConcurrentHashMap<>();
  private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  /**
   * @param capacity bytes in flight across all sources
   * @param shares per source, the largest fraction of {@code capacity} it may hold (absent: 1)
   * @param registry where the meters go (null: none)
   */
  public MemoryBudget(long capacity, Map<String, Double> shares, MeterRegistry registry) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("memory budget must be positive, got " + capacity);
    }
    this.capacity = capacity;
    this.shares = Map.copyOf(shares);
    this.registry = registry;
    if (registry != null) {
      Gauge.builder("denoiser_inflight_bytes_limit", () -> this.capacity)
          .description("The in-flight byte budget shared by all sources (memory.inflightBytes)")
          .register(registry);
    }
  }

  /**
   * The budget of {@code memory.inflightBytes} (0: a quarter of the heap) and {@code
   * memory.maxShare}.
   */
  public static MemoryBudget from(Settings s, MeterRegistry registry) {
    long configured = s.getLong(Setting.MEMORY_INFLIGHT_BYTES);
    long capacity =
        configured > 0
            ? configured
            : (long) (Runtime.getRuntime().maxMemory() * DEFAULT_HEAP_SHARE);
    return new MemoryBudget(capacity, parseShares(s.getString(Setting.MEMORY_MAX_SHARE)), registry);
  }

  /** {@code kafka=0.5,http=1} to a map; every value in (0, 1]. */
  public static Map<String, Double> parseShares(String text) {
    Map<String, Double> out = new TreeMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String part : text.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException(
            "memory.maxShare takes source=fraction pairs, got '" + part.trim() + "'");
      }
      double v;
      try {
        v = Double.parseDouble(kv[1].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "memory.maxShare: '" + kv[1].trim() + "' is not a number");
      }
      if (!(v > 0 && v <= 1)) {
        throw new IllegalArgumentException(
            "memory.maxShare: the share of " + kv[0].trim() + " must be in (0, 1], got " + v);
      }
      out.put(kv[0].trim().toLowerCase(Locale.ROOT), v);
    }
    return out;
  }

  public long capacity() {
    return capacity;
  }

  public long used() {
    return used.get();
  }

  public long used(String source) {
    AtomicLong a = bySource.get(source);
    return a == null ? 0 : a.get();
  }

  /** The most {@code source} may hold at once. */
  public long limit(String source) {
    return (long) (capacity * shares.getOrDefault(source, 1.0));
  }

  /** Takes {@code bytes} for {@code source}, or returns null when over the budget (counted). */
  public Lease tryAcquire(String source, long bytes) {
    AtomicLong mine = source(source);
    long limit = limit(source);
    while (true) {
      long total = used.get();
      long own = mine.get();
      boolean alone = total == 0;
      if (!alone && (total + bytes > capacity || own + bytes > limit)) {
        refusals.computeIfAbsent(source, this::refusalCounter).increment();
        return null;
      }
      if (used.compareAndSet(total, total + bytes)) {
        mine.addAndGet(bytes);
        return new Lease(this, source, mine, bytes);
      }
    }
  }

  /**
   * As {@link #tryAcquire}, but a refusal is an OVERLOADED {@link DenoiserException} with the
   * numbers, for the source to answer (HTTP 503 with Retry-After, WebSocket error reply).
   */
  public Lease acquire(String source, long bytes) {
    Lease l = tryAcquire(source, bytes);
    if (l == null) {
      throw overloaded(bytes);
    }
    return l;
  }

  /** The OVERLOADED error of a refusal of {@code bytes}. */
  public DenoiserException overloaded(long bytes) {
    return DenoiserException.of(
        ErrorCode.OVERLOADED,
        "the server has %d MB of frames in flight (memory.inflightBytes %d MB); this frame needs %d MB more; retry later",
        used.get() >> 20,
        capacity >> 20,
        Math.max(1, bytes >> 20));
  }

  private AtomicLong source(String source) {
    return bySource.computeIfAbsent(
        source,
        s -> {
          AtomicLong a = new AtomicLong();
          if (registry != null) {
            Gauge.builder("denoiser_inflight_bytes", a, AtomicLong::doubleValue)
                .tag("source", s)
                .description("Bytes of frames taken and not yet answered, by source")
                .register(registry);
          }
          return a;
        });
  }

  private Counter refusalCounter(String source) {
    return registry == null
        ? Counter.builder("unused")
            .register(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
        : Counter.builder("denoiser_memory_refusals")
            .tag("source", source)
            .description("Frames refused because the in-flight byte budget was spent, by source")
            .register(registry);
  }

  /** Bytes held for one frame; {@link #close()} gives them back, once. */
  public static final class Lease implements AutoCloseable {
    private final MemoryBudget budget;
    private final AtomicLong source;
    private final String name;
    private volatile long bytes;
    private final AtomicBoolean open = new AtomicBoolean(true);

    Lease(MemoryBudget budget, String name, AtomicLong source, long bytes) {
      this.budget = budget;
      this.name = name;
      this.source = source;
      this.bytes = bytes;
    }

    public long bytes() {
      return bytes;
    }

    /**
     * Takes {@code extra} bytes more for the same frame (its decoded size, once its body is in):
     * false when that would go over the budget, unless this lease is all that is in flight.
     */
    public boolean grow(long extra) {
      if (extra <= 0) {
        return true;
      }
      long limit = budget.limit(name);
      while (true) {
        long total = budget.used.get();
        boolean alone = total == bytes;
        if (!alone && (total + extra > budget.capacity || source.get() + extra > limit)) {
          budget.refusals.computeIfAbsent(name, budget::refusalCounter).increment();
          return false;
        }
        if (budget.used.compareAndSet(total, total + extra)) {
          source.addAndGet(extra);
          bytes += extra;
          return true;
        }
      }
    }

    @Override
    public void close() {
      if (open.compareAndSet(true, false)) {
        source.addAndGet(-bytes);
        budget.used.addAndGet(-bytes);
      }
    }
  }
}
