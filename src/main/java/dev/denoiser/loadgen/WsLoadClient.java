package dev.denoiser.loadgen;

import dev.denoiser.data.NoisyDigits;
import dev.denoiser.websocket.StreamReply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * One WebSocket feed of a load run: sends a noisy digit (one binary message) every 1/rate seconds
 * on a fixed schedule, matches each reply to its frame by sequence number and reports latency from
 * the frame's due time, errors by code, and the server's drop count. Runs on its socket's event
 * loop.
 */
final class WsLoadClient {
  private static final int RING = 1 << 16;
  private final Vertx vertx;
  private final NoisyDigits.Pool frames;
  private final LoadStats stats;
  private final long periodNanos;
  private final long maxFrames;
  private final long[] due = new long[RING];
  private WebSocket ws;
  private long firstDue;
  private long endNanos;
  private long sent;
  private long answered;
  private long dropped;
  private long timer = -1;
  private boolean closing;

  WsLoadClient(Vertx vertx, NoisyDigits.Pool frames, LoadStats stats, double rate, long maxFrames) {
    this.vertx = vertx;
    this.frames = frames;
    this.stats = stats;
    this.periodNanos = Math.max(1, Math.round(1e9 / rate));
    this.maxFrames = maxFrames;
  }

  Future<Void> connect(WebSocketClient client, WebSocketConnectOptions options) {
    return client
        .connect(options)
        .map(
            w -> {
              ws = w;
              w.binaryMessageHandler(this::onReply);
              w.textMessageHandler(
                  t -> stats.error(new JsonObject(t).getString("code", "UNKNOWN")));
              w.closeHandler(
                  v -> {
                    if (!closing) {
                      stats.error("CLOSED_" + w.closeStatusCode());
                    }
                  });
              return (Void) null;
            })
        .onFailure(
            e ->
                stats.error(
                    e instanceof UpgradeRejectedException u
                        ? "REFUSED_" + u.getStatus()
                        : "CONNECT"));
  }

  /**
   * Starts sending: the first frame is due at {@code firstDue}, the last before {@code endNanos}.
   */
  void start(long firstDueNanos, long endNanos) {
    this.firstDue = firstDueNanos;
    this.endNanos = endNanos;
    vertx.runOnContext(v -> sendDue());
  }

  /**
   * Sends every frame that is due, then sleeps until the next one (timers have 1 ms resolution).
   */
  private void sendDue() {
    timer = -1;
    long now = System.nanoTime();
    while (ws != null && !ws.isClosed() && (maxFrames <= 0 || sent < maxFrames)) {
      long d = firstDue + sent * periodNanos;
      if (d - endNanos >= 0) {
        break;
      }
      if (d - now > 0) {
        timer = vertx.setTimer(Math.max(1, (d - now + 999_999) / 1_000_000), id -> sendDue());
        break;
      }
      if (sent - answered - dropped >= RING) {
        stats.error("CLIENT_RING_FULL");
        break;
      }
      due[(int) (sent % RING)] = d;
      stats.sent();
      ws.writeBinaryMessage(Buffer.buffer(frames.frame(sent)));
      sent++;
    }
  }

  private void onReply(Buffer b) {
    long now = System.nanoTime();
    StreamReply r = StreamReply.parse(b);
    stats.answered(due[(int) (r.seq() % RING)], now);
    answered++;
    dropped = Math.max(dropped, r.dropped());
  }

  /** Stops sending, waits up to {@code drainMillis} for the replies still due, then closes. */
  Future<Void> finish(long drainMillis) {
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(
        v -> {
          if (timer >= 0) {
            vertx.cancelTimer(timer);
          }
          awaitReplies(System.nanoTime() + drainMillis * 1_000_000L, done);
        });
    return done.future();
  }

  private void awaitReplies(long deadline, Promise<Void> done) {
    long pending = sent - answered - dropped;
    if (ws == null || ws.isClosed() || pending <= 0 || System.nanoTime() - deadline > 0) {
      stats.dropped(dropped);
      stats.unanswered(Math.max(0, pending));
      closing = true;
      (ws == null || ws.isClosed() ? Future.<Void>succeededFuture() : ws.close())
          .onComplete(x -> done.complete());
      return;
    }
    vertx.setTimer(10, id -> awaitReplies(deadline, done));
  }
}
