package dev.denoiser.loadgen;

/**
 * The schedule and names of one Kafka load run, shared by its feed and its reply reader. Frame
 * {@code k} (0, 1, 2, ...) belongs to stream {@code k mod streams}, is due at {@code firstNanos + k
 * * periodNanos} (the streams interleave evenly) and carries the frame id {@code <runId>-<k>}, so a
 * reply's id gives back both the frame and its due time.
 */
record KafkaLoadPlan(
    String runId,
    String keyPrefix,
    int streams,
    String inputTopic,
    String model,
    long firstNanos,
    long periodNanos,
    long endNanos,
    long maxFrames) {

  long due(long k) {
    return firstNanos + k * periodNanos;
  }

  String key(long k) {
    return keyPrefix + "-" + (k % streams);
  }

  String frameId(long k) {
    return runId + "-" + k;
  }

  /** The frame number of a frame id of this run, or -1 for another run's (or a foreign) id. */
  long frameOf(String frameId) {
    if (frameId == null
        || frameId.length() <= runId.length() + 1
        || !frameId.startsWith(runId)
        || frameId.charAt(runId.length()) != '-') {
      return -1;
    }
    try {
      long k = Long.parseLong(frameId.substring(runId.length() + 1));
      return k >= 0 && k < Integer.MAX_VALUE ? k : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
