package dev.denoiser.loadgen;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the feeds of one run report, from any thread: frames sent and answered, round-trip latency
 * (microseconds, in an HdrHistogram, measured from when each frame was due so that a stalled sender
 * cannot hide its own delay), drops, errors by code and unexpected closes. Counts cover the whole
 * run; latency and throughput only the frames due inside the measured window (after the warm-up).
 */
public final class LoadStats {
  private volatile long measureFromNanos;
  private volatile long measureToNanos;
  private volatile boolean windowSet;
  private final Recorder latencies = new Recorder(3);
  private final LongAdder sent = new LongAdder();
  private final LongAdder answered = new LongAdder();
  private final LongAdder answeredMeasured = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder unanswered = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final AtomicLong maxLag = new AtomicLong(-1);
  private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

  /** Sets the measured window, once the feeds are connected and about to start. */
  public void window(long fromNanos, long toNanos) {
    measureFromNanos = fromNanos;
    measureToNanos = toNanos;
    windowSet = true;
  }

  /** Whether a frame due at {@code dueNanos} is measured. */
  public boolean measured(long dueNanos) {
    return windowSet && dueNanos - measureFromNanos >= 0 && dueNanos - measureToNanos < 0;
  }

  public void sent() {
    sent.increment();
  }

  public void answered(long dueNanos, long nowNanos) {
    answered.increment();
    if (measured(dueNanos)) {
      answeredMeasured.increment();
      latencies.recordValue(Math.max(1, (nowNanos - dueNanos) / 1000));
    }
  }

  /** Frames the server dropped (live mode), from the drop counter of its replies. */
  public void dropped(long n) {
    dropped.add(n);
  }

  /** Frames still unanswered when the run ended (and not dropped). */
  public void unanswered(long n) {
    unanswered.add(n);
  }

  /** An answer to a frame that was already answered. */
  public void duplicate() {
    duplicates.increment();
  }

  /** A consumer-group lag sample; the report keeps the largest. */
  public void lag(long records) {
    maxLag.accumulateAndGet(records, Math::max);
  }

  /** An error message, refused connection or unexpected close, by code. */
  public void error(String code) {
    errors.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
  }

  public long totalErrors() {
    return errors.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** The run's numbers. */
  public LoadReport report(
      String transport, String mode, int clients, double ratePerClient, double p99SloMs) {
    Histogram h = latencies.getIntervalHistogram();
    double seconds = (measureToNanos - measureFromNanos) / 1e9;
    return new LoadReport(
        transport,
        mode,
        clients,
        ratePerClient,
        seconds,
        sent.sum(),
        answered.sum(),
        answeredMeasured.sum(),
        dropped.sum(),
        unanswered.sum(),
        Map.copyOf(toMap()),
        h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50) / 1000.0,
        h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0,
        h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99.9) / 1000.0,
        h.getMaxValue() / 1000.0,
        p99SloMs,
        duplicates.sum(),
        maxLag.get());
  }

  private Map<String, Long> toMap() {
    Map<String, Long> m = new java.util.TreeMap<>();
    errors.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }
}
