package dev.denoiser.source;

import dev.denoiser.error.ErrorCode;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a source does when the batcher refuses a frame for now (its queue is full, the model is not
 * loaded yet, the service is shutting down): one policy type, chosen per source.
 *
 * <ul>
 *   <li>{@link #KAFKA}: keep the frame, pause its partition, offer it again ({@link
 *       Reaction#PAUSE_AND_RETRY}); a refused frame is never dead-lettered.
 *   <li>{@link #WEBSOCKET}: offer it again after a backoff of 2, 4, 8 ... up to 50 ms ({@link
 *       Reaction#BACKOFF_AND_RETRY}); in live mode the session drops it instead once a newer frame
 *       waits.
 *   <li>{@link #HTTP}: answer at once with the code's status (503) and {@code Retry-After} ({@link
 *       Reaction#ANSWER_RETRY_AFTER}).
 * </ul>
 *
 * <p>The in-flight byte budget ({@link MemoryBudget}) refuses with OVERLOADED too, before the frame
 * is decoded, and each source meets it the way its policy says: Kafka keeps the record undecoded
 * and pauses its partition; HTTP answers 503 with {@code Retry-After}; WebSocket answers that frame
 * with an OVERLOADED error (it was never accepted, so there is nothing to retry) and reads on. How
 * much of the budget and of the batcher's queue each source may hold is configuration: {@code
 * memory.maxShare} and {@code batching.sourceWeights}.
 *
 * @param transientCodes the refusals that are "not now" rather than "never"
 * @param reaction what the source does with such a refusal
 * @param firstDelayMillis first backoff (BACKOFF_AND_RETRY), doubled per attempt
 * @param maxDelayMillis longest backoff (BACKOFF_AND_RETRY)
 * @param retryAfterSeconds the {@code Retry-After} value (ANSWER_RETRY_AFTER)
 */
public record OverloadPolicy(
    Set<ErrorCode> transientCodes,
    Reaction reaction,
    long firstDelayMillis,
    long maxDelayMillis,
    int retryAfterSeconds) {

  /** The three ways a source can hold back. */
  public enum Reaction {
    /** Hold the frame and stop taking new input until it is taken (Kafka: pause the partition). */
    PAUSE_AND_RETRY,
    /** Offer the frame again after a growing delay. */
    BACKOFF_AND_RETRY,
    /** Give the refusal back to the caller with a hint when to come back. */
    ANSWER_RETRY_AFTER
  }

  public static final OverloadPolicy KAFKA =
      new OverloadPolicy(
          EnumSet.of(
              ErrorCode.OVERLOADED,
              ErrorCode.DEADLINE_EXCEEDED,
              ErrorCode.MODEL_NOT_READY,
              ErrorCode.SHUTTING_DOWN),
          Reaction.PAUSE_AND_RETRY,
          0,
          0,
          0);
  public static final OverloadPolicy WEBSOCKET =
      new OverloadPolicy(EnumSet.of(ErrorCode.OVERLOADED), Reaction.BACKOFF_AND_RETRY, 2, 50, 0);
  public static final OverloadPolicy HTTP =
      new OverloadPolicy(
          EnumSet.of(ErrorCode.OVERLOADED, ErrorCode.MODEL_NOT_READY, ErrorCode.SHUTTING_DOWN),
          Reaction.ANSWER_RETRY_AFTER,
          0,
          0,
          1);

  public OverloadPolicy {
    transientCodes = Set.copyOf(transientCodes);
  }

  /** True when the source keeps a frame refused with {@code code} and offers it again. */
  public boolean retries(ErrorCode code) {
    return reaction != Reaction.ANSWER_RETRY_AFTER && transientCodes.contains(code);
  }

  /** The wait before attempt {@code retries + 1} of a refused frame (BACKOFF_AND_RETRY). */
  public long delayMillis(int retries) {
    return Math.min(maxDelayMillis, firstDelayMillis << Math.min(retries, 5));
  }

  /** The {@code Retry-After} seconds to answer a refusal with {@code code}, or 0 for none. */
  public int retryAfterSeconds(ErrorCode code) {
    return reaction == Reaction.ANSWER_RETRY_AFTER && transientCodes.contains(code)
        ? retryAfterSeconds
        : 0;
  }
}
