package dev.denoiser.websocket;

import dev.denoiser.inference.InferenceResult;
import dev.denoiser.error.DenoiserException;

/**
 * The place of one client message in its connection's reply order. It starts pending and ends as
 * exactly one of: a result (sent as a binary reply), an error (sent as a JSON text message), or
 * dropped (live mode: nothing is sent, the drop counter goes up).
 */
final class Slot {
  enum State { PENDING, RESULT, ERROR, DROPPED }

  final long seq;
  final long receivedNanos;
  String frameId;
  State state = State.PENDING;
  InferenceResult result;
  DenoiserException error;

  Slot(long seq, long receivedNanos) {
    this.seq = seq;
    this.receivedNanos = receivedNanos;
  }

  boolean done() {
    return state != State.PENDING;
  }

  void succeed(InferenceResult r) {
    state = State.RESULT;
    result = r;
  }

  void fail(DenoiserException e) {
    state = State.ERROR;
    error = e;
  }

  void drop() {
    state = State.DROPPED;
  }
}
