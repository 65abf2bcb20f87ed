package dev.denoiser.websocket;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.inference.InferenceResult;
import dev.denoiser.source.MemoryBudget;

/**
 * The place of one client message in its connection's reply order. It starts pending and ends as
 * exactly one of: a result (sent as a binary reply), an error (sent as a JSON text message), or
 * dropped (live mode: nothing is sent, the drop counter goes up).
 */
final class Slot {
  enum State {
    PENDING,
    RESULT,
    ERROR,
    DROPPED
  }

  final long seq;
  final long receivedNanos;
  String frameId;
  State state = State.PENDING;
  InferenceResult result;

  /** The denoised frame in the connection's format, encoded off the event loop. */
  byte[] encoded;

  DenoiserException error;

  /** The bytes this message holds in the in-flight budget; given back when its reply goes out. */
  MemoryBudget.Lease lease;

  Slot(long seq, long receivedNanos) {
    this.seq = seq;
    this.receivedNanos = receivedNanos;
  }

  boolean done() {
    return state != State.PENDING;
  }

  void succeed(InferenceResult r, byte[] encodedFrame) {
    state = State.RESULT;
    result = r;
    encoded = encodedFrame;
  }

  /** Bytes held in the budget (0 before the lease is taken). */
  long bytes() {
    return lease == null ? 0 : lease.bytes();
  }

  void release() {
    if (lease != null) {
      lease.close();
    }
  }

  void fail(DenoiserException e) {
    state = State.ERROR;
    error = e;
  }

  void drop() {
    state = State.DROPPED;
  }
}
