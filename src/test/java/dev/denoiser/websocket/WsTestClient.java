package dev.denoiser.websocket;

import dev.denoiser.testing.ServiceHarness;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client for the tests: collects replies (parsed) and JSON errors in arrival order, and
 * the close code. Callback-style tests set a {@link #handler}; blocking ones read {@link #next}.
 */
final class WsTestClient implements AutoCloseable {
  final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
  final WebSocket ws;
  private final Promise<Short> closeCode = Promise.promise();
  private final WebSocketClient client;
  private Handler<Object> handler;

  private WsTestClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.binaryMessageHandler(b -> deliver(StreamReply.parse(b)));
    ws.textMessageHandler(t -> deliver(new JsonObject(t)));
    ws.closeHandler(
        v -> closeCode.tryComplete(ws.closeStatusCode() == null ? -1 : ws.closeStatusCode()));
  }

  private void deliver(Object message) {
    Handler<Object> h;
    synchronized (this) {
      h = handler;
      if (h == null) {
        received.add(message);
      }
    }
    if (h != null) {
      h.handle(message);
    }
  }

  /**
   * Hands every reply (a {@link StreamReply}) and error (a {@link JsonObject}) to {@code h}, those
   * already received first.
   */
  WsTestClient handler(Handler<Object> h) {
    synchronized (this) {
      for (Object o; (o = received.poll()) != null; ) {
        h.handle(o);
      }
      handler = h;
    }
    return this;
  }

  /**
   * Opens a connection to /v1/stream; fails as the upgrade does (an {@link
   * UpgradeRejectedException} when refused).
   */
  static Future<WsTestClient> open(Vertx vertx, int port, String query, String... headers) {
    WebSocketClient client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions().setMaxFrameSize(16 << 20).setMaxMessageSize(64 << 20));
    WebSocketConnectOptions o =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(StreamEndpoint.PATH + (query.isEmpty() ? "" : "?" + query));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      o.addHeader(headers[i], headers[i + 1]);
    }
    return client
        .connect(o)
        .map(ws -> new WsTestClient(client, ws))
        .recover(e -> client.close().transform(v -> Future.failedFuture(e)));
  }

  static WsTestClient connect(Vertx vertx, int port, String query, String... headers)
      throws Exception {
    return ServiceHarness.await(open(vertx, port, query, headers));
  }

  /**
   * The refusal of an upgrade, with its status and JSON error body; fails when the upgrade is
   * accepted.
   */
  static Future<UpgradeRejectedException> refusal(
      Vertx vertx, int port, String query, String... headers) {
    return open(vertx, port, query, headers)
        .transform(
            ar -> {
              if (ar.succeeded()) {
                return ar.result()
                    .shut()
                    .compose(
                        v -> Future.failedFuture(new AssertionError("the upgrade was accepted")));
              }
              return ar.cause() instanceof UpgradeRejectedException u
                  ? Future.succeededFuture(u)
                  : Future.failedFuture(ar.cause());
            });
  }

  /** As {@link #refusal}, blocking. */
  static UpgradeRejectedException refused(Vertx vertx, int port, String query, String... headers)
      throws Exception {
    try {
      return ServiceHarness.await(refusal(vertx, port, query, headers));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AssertionError a) {
        throw a;
      }
      throw e;
    }
  }

  void send(byte[] frame) {
    ws.writeBinaryMessage(Buffer.buffer(frame));
  }

  void send(Buffer message) {
    ws.writeBinaryMessage(message);
  }

  /** The next reply or error, failing after 30 s. */
  Object next() throws InterruptedException {
    Object o = received.poll(30, TimeUnit.SECONDS);
    if (o == null) {
      throw new AssertionError("nothing received in 30 s");
    }
    return o;
  }

  StreamReply nextReply() throws InterruptedException {
    return reply(next());
  }

  JsonObject nextError() throws InterruptedException {
    return error(next());
  }

  /** {@code o} as a reply, or an assertion error naming what it is. */
  static StreamReply reply(Object o) {
    if (o instanceof StreamReply r) {
      return r;
    }
    throw new AssertionError("expected a reply, got " + o);
  }

  /** {@code o} as an error, or an assertion error naming what it is. */
  static JsonObject error(Object o) {
    if (o instanceof JsonObject j) {
      return j;
    }
    throw new AssertionError("expected an error, got " + o);
  }

  /** The close status code, once the socket is closed (-1 for none). */
  Future<Short> closed() {
    return closeCode.future();
  }

  short awaitClose() throws Exception {
    return ServiceHarness.await(closed());
  }

  /** Closes the socket (unless the server did) and the client. */
  Future<Void> shut() {
    Future<Void> socket = closeCode.future().isComplete() ? Future.succeededFuture() : ws.close();
    return socket.eventually(() -> client.close());
  }

  @Override
  public void close() throws Exception {
    ServiceHarness.await(shut());
  }
}
