package dev.denoiser.inference;

import dev.denoiser.frame.Frame;
import java.util.Objects;

/**
 * One frame to run through a model, sent on the event bus to {@link Addresses#infer(String)}.
 * Travels by reference (local codec), never as JSON.
 *
 * @param frame the validated input frame
 * @param model the model name (the address already says it; kept for errors and metrics)
 * @param deadlineNanos {@link System#nanoTime()} after which the request must not run; 0 for none
 * @param createdNanos when the source built the request, for end-to-end timing
 */
public record InferenceRequest(Frame frame, String model, long deadlineNanos, long createdNanos) {
  public InferenceRequest {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(model, "model");
  }

  /** A request that must start running within {@code deadlineMillis} (0 or less: no deadline). */
  public static InferenceRequest of(Frame frame, String model, long deadlineMillis) {
    long now = System.nanoTime();
    long deadline = deadlineMillis > 0 ? now + deadlineMillis * 1_000_000L : 0L;
    return new InferenceRequest(frame, model, deadline, now);
  }

  public boolean expired(long nowNanos) {
    return deadlineNanos != 0 && nowNanos - deadlineNanos > 0;
  }
}
