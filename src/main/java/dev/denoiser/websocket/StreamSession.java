package dev.denoiser.websocket;

import dev.denoiser.batching.InferenceClient;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.inference.InferenceResult;
import dev.denoiser.source.CodecPool;
import dev.denoiser.source.FrameGate;
import dev.denoiser.source.FrameGate.Admitted;
import dev.denoiser.source.OverloadPolicy;
import dev.denoiser.source.ServiceContext;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open {@code /v1/stream} connection. Binary messages in (one frame each, numbered 0, 1, 2...),
 * {@link StreamReply} binary messages and JSON error texts out, in message order. Runs on the
 * socket's event loop; each frame's bytes are taken from the in-flight budget first, then it is
 * decoded (and its reply encoded) on the codec pool, and inference goes through the {@link
 * InferenceClient}.
 *
 * <p>Live mode runs one frame at a time and keeps only the newest of the frames that arrive
 * meanwhile. Lossless mode runs every frame, retries those the batcher refuses with OVERLOADED, and
 * stops reading the socket while {@code window} frames, or {@code stream.maxInFlightBytes} bytes,
 * await their reply (or the write queue is full). A frame over the shared budget is answered with
 * an OVERLOADED error and the connection goes on.
 */
final class StreamSession {
  private static final Logger LOG = LoggerFactory.getLogger(StreamSession.class);
  private static final OverloadPolicy OVERLOAD = OverloadPolicy.WEBSOCKET;

  /** The source name of WebSocket frames in the byte budget and its meters. */
  static final String SOURCE = "websocket";

  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final StreamParams params;
  private final FrameGate gate;
  private final StreamMetrics metrics;
  private final String streamId;
  private final Closer closer;
  private final ReplyOrder order;
  private final CodecPool codecs;
  private final long maxInFlightBytes;
  private long nextSeq;
  private long dropped;
  private int running;
  private Slot waitingSlot;
  private Admitted waitingFrame;
  private boolean paused;
  private boolean goingAway;
  private final long idleNanos;
  private long lastMessage = System.nanoTime();

  StreamSession(
      Vertx vertx,
      ServerWebSocket ws,
      StreamParams params,
      ServiceContext svc,
      StreamLimits limits,
      StreamMetrics metrics,
      String streamId,
      CodecPool codecs,
      long idleMillis) {
    this.vertx = vertx;
    this.ws = ws;
    this.params = params;
    this.gate = svc.gate();
    this.metrics = metrics;
    this.streamId = streamId;
    this.closer = new Closer(ws, metrics);
    this.order = new ReplyOrder(ws, params, metrics, closer);
    this.codecs = codecs;
    this.maxInFlightBytes = limits.maxInFlightBytes();
    MessageAssembler assembler =
        new MessageAssembler(
            limits.maxMessageBytes(),
            new MessageAssembler.Sink() {
              @Override
              public void binary(Buffer message) {
                onMessage(message);
              }

              @Override
              public void text() {
                closer.close(
                    Closer.POLICY_VIOLATION,
                    "text messages are not part of the protocol; send each frame as one binary message");
              }

              @Override
              public void tooBig(long bytes) {
                closer.close(
                    Closer.MESSAGE_TOO_BIG,
                    "message of "
                        + bytes
                        + "+ bytes is over the limit of "
                        + limits.maxMessageBytes()
                        + " bytes (stream.maxMessageBytes)");
              }
            });
    ws.frameHandler(
        f -> {
          if (f.isBinary() || f.isText() || f.isContinuation()) {
            lastMessage = System.nanoTime();
          }
          assembler.onFrame(f);
        });
    this.idleNanos = Math.max(0, idleMillis) * 1_000_000L;
    if (idleNanos > 0) {
      vertx.setTimer(idleMillis, id -> checkIdle());
    }
    ws.drainHandler(v -> throttle());
    ws.exceptionHandler(e -> LOG.debug("{}: {}", streamId, e.toString()));
  }

  /**
   * Closes the socket with 1001 once the client has sent nothing for {@code
   * stream.idleTimeoutMillis} and no reply is pending; otherwise looks again when that time could
   * next be up.
   */
  private void checkIdle() {
    if (closer.closed() || goingAway) {
      return;
    }
    long quiet = System.nanoTime() - lastMessage;
    if (quiet >= idleNanos && order.size() == 0 && running == 0) {
      closer.fail(
          Closer.GOING_AWAY,
          ErrorCode.REQUEST_TIMEOUT,
          "idle for " + quiet / 1_000_000 + " ms (stream.idleTimeoutMillis)");
      return;
    }
    vertx.setTimer(
        Math.max(1, (quiet >= idleNanos ? idleNanos : idleNanos - quiet) / 1_000_000L),
        id -> checkIdle());
  }

  /**
   * The server is shutting down: take no more frames, answer those accepted, then close with 1001.
   */
  void goAway() {
    goingAway = true;
    throttle();
    flush();
  }

  boolean closed() {
    return closer.closed();
  }

  void markClosed() {
    closer.markClosed();
  }

  private void onMessage(Buffer message) {
    if (goingAway || closer.closed()) {
      return;
    }
    Slot slot = order.open(nextSeq++);
    metrics.frameIn(params.mode());
    FrameIdHeader.Split split;
    try {
      split = FrameIdHeader.split(message, params.ids());
      slot.frameId = split.frameId();
      // the frame's bytes come out of the shared budget before it is decoded; over it, the
      // client gets OVERLOADED for this frame and the connection goes on
      order.held(
          slot,
          gate.reserve(SOURCE, params.format(), split.frame(), params.width(), params.height()));
    } catch (DenoiserException e) {
      fail(slot, e, true);
      flush();
      return;
    }
    codecs
        .run(
            () ->
                gate.admit(
                    params.format(),
                    split.frame(),
                    params.width(),
                    params.height(),
                    streamId,
                    split.frameId(),
                    params.model()))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(slot, InferenceClient.toError(ar.cause(), params.model()), true);
                flush();
                throttle();
                return;
              }
              decoded(slot, ar.result());
            });
    throttle();
  }

  private void decoded(Slot slot, Admitted frame) {
    if (closer.closed()) {
      slot.drop();
      flush();
      return;
    }
    if (params.mode() == StreamMode.LOSSLESS || running == 0) {
      submit(slot, frame);
    } else if (waitingSlot != null && waitingSlot.seq > slot.seq) {
      drop(slot); // a newer frame already waits (decodes finish in any order)
      flush();
    } else {
      if (waitingSlot != null) {
        drop(waitingSlot);
      }
      waitingSlot = slot;
      waitingFrame = frame;
    }
    throttle();
  }

  private void submit(Slot slot, Admitted frame) {
    running++;
    attempt(slot, frame, 0);
  }

  private void attempt(Slot slot, Admitted frame, int retries) {
    gate.run(frame, 0, SOURCE)
        .compose(
            r -> codecs.run(() -> new Encoded(r, FrameCodec.encode(r.denoised(), params.format()))))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                slot.succeed(ar.result().result(), ar.result().bytes());
              } else {
                DenoiserException e = InferenceClient.toError(ar.cause(), params.model());
                if (OVERLOAD.retries(e.code()) && !closer.closed()) {
                  metrics.retry();
                  long delay = OVERLOAD.delayMillis(retries);
                  vertx.setTimer(delay, id -> retry(slot, frame, retries + 1));
                  return;
                }
                fail(slot, e, false);
              }
              finished();
            });
  }

  /** A result with its frame encoded in the connection's format. */
  private record Encoded(InferenceResult result, byte[] bytes) {}

  private void retry(Slot slot, Admitted frame, int retries) {
    if (params.mode() == StreamMode.LIVE && waitingSlot != null) {
      drop(slot); // a newer frame arrived while this one waited for room: it is stale now
      finished();
    } else if (closer.closed()) {
      finished();
    } else {
      attempt(slot, frame, retries);
    }
  }

  private void finished() {
    running--;
    if (running == 0 && waitingSlot != null) {
      Slot s = waitingSlot;
      Admitted f = waitingFrame;
      waitingSlot = null;
      waitingFrame = null;
      submit(s, f);
    }
    flush();
    throttle();
  }

  private void drop(Slot slot) {
    slot.drop();
    dropped++;
    metrics.dropped();
  }

  private void fail(Slot slot, DenoiserException e, boolean beforeInference) {
    slot.fail(e);
    metrics.error(e.code(), beforeInference);
  }

  /** Sends what is finished, in order, then closes with 1001 if going away and all is answered. */
  private void flush() {
    order.flush(dropped);
    if (goingAway && order.isEmpty()) {
      closer.close(Closer.GOING_AWAY, "server shutting down");
    }
  }

  /** Pauses reading while the window or the write queue is full; resumes when there is room. */
  private void throttle() {
    if (closer.closed()) {
      return;
    }
    // live mode keeps reading (one running, one waiting) so that stale frames can be dropped
    int backlog = params.mode() == StreamMode.LIVE ? order.size() - 2 : order.size();
    boolean full =
        goingAway
            || backlog >= params.window()
            || order.bytes() >= maxInFlightBytes
            || (!ws.isClosed() && ws.writeQueueFull());
    if (full && !paused) {
      paused = true;
      ws.pause();
      if (!goingAway) {
        metrics.paused();
      }
    } else if (!full && paused) {
      paused = false;
      ws.resume();
    }
  }
}
