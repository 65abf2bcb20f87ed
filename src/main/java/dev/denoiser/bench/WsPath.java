package dev.denoiser.bench;

import dev.denoiser.websocket.StreamEndpoint;
import dev.denoiser.websocket.StreamReply;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * One lossless {@code /v1/stream} connection as a {@link ClosedLoop} request function: each request
 * sends the frame as one binary message; replies come in send order, so the oldest outstanding
 * request takes the next reply (a binary reply of the frame's size succeeds, a JSON error fails it
 * with its code). Each answer is handed to the caller's context, so the closed loop's bookkeeping
 * stays on one thread.
 */
final class WsPath implements AutoCloseable {
  private final WebSocketClient client;
  private final WebSocket ws;
  private final Buffer frame;
  private final int expectedPayload;
  private final ConcurrentLinkedDeque<Pending> waiting = new ConcurrentLinkedDeque<>();

  private record Pending(Context context, Promise<Void> promise) {
    void complete(String error) {
      context.runOnContext(
          v -> {
            if (error == null) {
              promise.complete();
            } else {
              promise.fail(error);
            }
          });
    }
  }

  private WsPath(WebSocketClient client, WebSocket ws, Buffer frame, int expectedPayload) {
    this.client = client;
    this.ws = ws;
    this.frame = frame;
    this.expectedPayload = expectedPayload;
    ws.binaryMessageHandler(this::onReply);
    ws.textMessageHandler(t -> answer(new JsonObject(t).getString("code", "ERROR")));
    ws.closeHandler(
        v -> {
          for (Pending p = waiting.poll(); p != null; p = waiting.poll()) {
            p.complete("closed " + ws.closeStatusCode());
          }
        });
  }

  /** Opens {@code /v1/stream} in lossless mode with a window of {@code window} frames. */
  static Future<WsPath> connect(Vertx vertx, int port, String model, NaturalFrame f, int window) {
    WebSocketClient client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions().setMaxFrameSize(16 << 20).setMaxMessageSize(64 << 20));
    String uri =
        String.format(
            Locale.ROOT,
            "%s?model=%s&mode=lossless&format=%s&width=%d&height=%d&window=%d",
            StreamEndpoint.PATH,
            model,
            f.mediaType().shortName(),
            f.width(),
            f.height(),
            window);
    return client
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri))
        .map(ws -> new WsPath(client, ws, Buffer.buffer(f.wire()), f.wire().length));
  }

  /** Sends the frame (call on a Vert.x context); completes on that context with its reply. */
  Future<Void> send(int i) {
    Pending p = new Pending(Vertx.currentContext(), Promise.promise());
    waiting.add(p);
    ws.writeBinaryMessage(frame)
        .onFailure(
            e -> {
              if (waiting.remove(p)) {
                p.complete("write failed: " + e.getMessage());
              }
            });
    return p.promise().future();
  }

  private void onReply(Buffer b) {
    String error;
    try {
      int n = StreamReply.parse(b).payload().length;
      error = n == expectedPayload ? null : "reply of " + n + " bytes, expected " + expectedPayload;
    } catch (IllegalArgumentException e) {
      error = e.getMessage();
    }
    answer(error);
  }

  /**
   * The oldest outstanding frame takes the answer (lossless mode answers every frame, in order).
   */
  private void answer(String error) {
    Pending p = waiting.poll();
    if (p != null) {
      p.complete(error);
    }
  }

  @Override
  public void close() {
    ws.close();
    client.close();
  }
}
