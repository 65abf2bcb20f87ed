package dev.denoiser.websocket;

import dev.denoiser.frame.Frame;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.inference.InferenceResult;
import dev.denoiser.source.MemoryBudget;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayDeque;

/**
 * The reply order of one connection: a {@link Slot} per message in arrival order; finished slots at
 * the head go out as binary {@link StreamReply}s or JSON error texts (dropped ones silently), so
 * whatever order inference finishes in, the client sees {@code seq} order.
 */
final class ReplyOrder {
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private final ServerWebSocket ws;
  private final StreamParams params;
  private final StreamMetrics metrics;
  private final Closer closer;
  private long bytes;

  ReplyOrder(ServerWebSocket ws, StreamParams params, StreamMetrics metrics, Closer closer) {
    this.ws = ws;
    this.params = params;
    this.metrics = metrics;
    this.closer = closer;
  }

  /** A slot for the next message, at the tail. */
  Slot open(long seq) {
    Slot s = new Slot(seq, System.nanoTime());
    slots.addLast(s);
    return s;
  }

  /** Messages received and not yet answered. */
  int size() {
    return slots.size();
  }

  /** Budget bytes held by the messages not yet answered. */
  long bytes() {
    return bytes;
  }

  /** Counts a lease taken for a slot already open. */
  void held(Slot s, MemoryBudget.Lease lease) {
    s.lease = lease;
    bytes += lease.bytes();
  }

  boolean isEmpty() {
    return slots.isEmpty();
  }

  /** Sends every finished slot at the head; {@code dropped} is the connection's drop count now. */
  void flush(long dropped) {
    while (!slots.isEmpty() && slots.peekFirst().done()) {
      Slot s = slots.pollFirst();
      bytes -= s.bytes();
      s.release();
      if (closer.closed()) {
        continue;
      }
      if (s.state == Slot.State.RESULT) {
        ws.writeBinaryMessage(reply(s, s.result, dropped).encode());
        metrics.frameOut(params.mode());
      } else if (s.state == Slot.State.ERROR) {
        ws.writeTextMessage(
            Closer.errorJson(s.seq, s.error.code(), s.error.getMessage(), s.frameId));
      }
    }
  }

  private StreamReply reply(Slot s, InferenceResult r, long dropped) {
    long serverMicros = (System.nanoTime() - s.receivedNanos) / 1000;
    Frame d = r.denoised();
    return new StreamReply(
        s.seq,
        dropped,
        d.width(),
        d.height(),
        r.modelVersion(),
        r.queueMicros(),
        r.computeMicros(),
        serverMicros,
        r.batchSize(),
        params.latent() ? r.latent() : null,
        s.frameId,
        s.encoded != null ? s.encoded : FrameCodec.encode(d, params.format()),
        r.noiseSigma());
  }
}
