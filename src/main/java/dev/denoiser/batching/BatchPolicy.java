package dev.denoiser.batching;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;

/**
 * The batching knobs, named as in Triton and DJL Serving.
 *
 * @param maxBatchSize most frames in one ONNX Runtime run
 * @param maxBatchDelayMicros how long an idle worker waits for a batch to fill; 0 runs whatever is
 *     queued as soon as a worker is free (batches then form while workers are busy)
 * @param queueSize frames queued per model before requests are refused with OVERLOADED
 * @param deadlineMillis default per-request deadline
 */
public record BatchPolicy(int maxBatchSize, long maxBatchDelayMicros, int queueSize, long deadlineMillis) {
  public BatchPolicy {
    if (maxBatchSize < 1 || queueSize < 1 || maxBatchDelayMicros < 0) {
      throw new IllegalArgumentException("batching needs maxBatchSize >= 1, queueSize >= 1, maxBatchDelayMicros >= 0");
    }
  }

  public static BatchPolicy from(Settings s) {
    return new BatchPolicy(
        s.getInt(Setting.BATCH_MAX_SIZE),
        s.getLong(Setting.BATCH_MAX_DELAY_US),
        s.getInt(Setting.BATCH_QUEUE_SIZE),
        s.getLong(Setting.BATCH_DEADLINE_MS));
  }
}
