package dev.denoiser.batching;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The batching knobs, named as in Triton and DJL Serving, plus the per-batch pixel budget and the
 * sources' shares of the queue.
 *
 * @param maxBatchSize most frames in one ONNX Runtime run
 * @param maxBatchDelayMicros how long an idle worker waits for a batch to fill; 0 runs whatever is
 *     queued as soon as a worker is free (batches then form while workers are busy)
 * @param queueSize frames queued per model before requests are refused with OVERLOADED
 * @param deadlineMillis default per-request deadline
 * @param maxBatchPixels most values (frames x channels x height x width) in one batch; the first
 *     frame of a batch always goes in, so a larger frame runs alone
 * @param sourceWeights per source (http, websocket, kafka), its weight: the share of the queue
 *     reserved for it ({@code queueSize * weight / sum}) and of the batches it leads; empty: one
 *     shared queue, first come first served
 */
public record BatchPolicy(
    int maxBatchSize,
    long maxBatchDelayMicros,
    int queueSize,
    long deadlineMillis,
    long maxBatchPixels,
    Map<String, Integer> sourceWeights) {
  /** The source of requests that name none. */
  public static final String DEFAULT_SOURCE = "http";

  public BatchPolicy {
    if (maxBatchSize < 1 || queueSize < 1 || maxBatchDelayMicros < 0 || maxBatchPixels < 1) {
      throw new IllegalArgumentException(
          "batching needs maxBatchSize >= 1, queueSize >= 1, maxBatchDelayMicros >= 0, maxBatchPixels >= 1");
    }
    sourceWeights = Map.copyOf(sourceWeights);
  }

  /** No pixel budget and no source shares. */
  public BatchPolicy(
      int maxBatchSize, long maxBatchDelayMicros, int queueSize, long deadlineMillis) {
    this(maxBatchSize, maxBatchDelayMicros, queueSize, deadlineMillis, Long.MAX_VALUE, Map.of());
  }

  public static BatchPolicy from(Settings s) {
    return new BatchPolicy(
        s.getInt(Setting.BATCH_MAX_SIZE),
        s.getLong(Setting.BATCH_MAX_DELAY_US),
        s.getInt(Setting.BATCH_QUEUE_SIZE),
        s.getLong(Setting.BATCH_DEADLINE_MS),
        s.getLong(Setting.BATCH_MAX_PIXELS),
        parseWeights(s.getString(Setting.BATCH_SOURCE_WEIGHTS)));
  }

  /** The weight of {@code source} (1 for a source the weights do not name). */
  public int weight(String source) {
    return sourceWeights.getOrDefault(source, 1);
  }

  /**
   * Queue slots only {@code source} may use: its weighted share of {@code queueSize} (0 without
   * weights).
   */
  public int reserved(String source) {
    Integer w = sourceWeights.get(source);
    if (w == null) {
      return 0;
    }
    int sum = sourceWeights.values().stream().mapToInt(Integer::intValue).sum();
    return (int) ((long) queueSize * w / sum);
  }

  /** Most slots {@code source} can hold: the queue less what is reserved for the others. */
  public int mostFor(String source) {
    int others = 0;
    for (String s : sourceWeights.keySet()) {
      if (!s.equals(source)) {
        others += reserved(s);
      }
    }
    return Math.max(1, queueSize - others);
  }

  /** {@code http=2,websocket=2,kafka=1} to a map; every weight a positive integer. */
  public static Map<String, Integer> parseWeights(String text) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String part : text.split(",")) {
      String[] kv = part.split("=", 2);
      int w;
      try {
        w = kv.length == 2 ? Integer.parseInt(kv[1].trim()) : -1;
      } catch (NumberFormatException e) {
        w = -1;
      }
      if (w < 1) {
        throw new IllegalArgumentException(
            Setting.BATCH_SOURCE_WEIGHTS.key()
                + " takes source=weight pairs with positive integer weights, got '"
                + part.trim()
                + "'");
      }
      out.put(kv[0].trim().toLowerCase(Locale.ROOT), w);
    }
    return out;
  }
}
