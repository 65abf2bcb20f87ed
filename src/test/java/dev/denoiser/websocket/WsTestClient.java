package dev.denoiser.websocket;

import dev.denoiser.testing.ServiceHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client for the tests: collects replies (parsed) and JSON errors in arrival order, and the close code. */
final class WsTestClient implements AutoCloseable {
  final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Short> closeCode = new CompletableFuture<>();
  final WebSocket ws;
  private final WebSocketClient client;

  private WsTestClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.binaryMessageHandler(b -> received.add(StreamReply.parse(b)));
    ws.textMessageHandler(t -> received.add(new JsonObject(t)));
    ws.closeHandler(v -> closeCode.complete(ws.closeStatusCode() == null ? -1 : ws.closeStatusCode()));
  }

  static WsTestClient connect(Vertx vertx, int port, String query, String... headers) throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(16 << 20)
        .setMaxMessageSize(64 << 20));
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI(StreamEndpoint.PATH + (query.isEmpty() ? "" : "?" + query));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      o.addHeader(headers[i], headers[i + 1]);
    }
    try {
      return ServiceHarness.await(client.connect(o).map(ws -> new WsTestClient(client, ws)));
    } catch (Exception e) {
      client.close();
      throw e;
    }
  }

  /** The refusal of an upgrade: the status, and the JSON error body. */
  static UpgradeRejectedException refused(Vertx vertx, int port, String query, String... headers) throws Exception {
    try {
      connect(vertx, port, query, headers).close();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UpgradeRejectedException u) {
        return u;
      }
      throw e;
    }
    throw new AssertionError("the upgrade was accepted");
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
    Object o = next();
    if (o instanceof StreamReply r) {
      return r;
    }
    throw new AssertionError("expected a reply, got " + o);
  }

  JsonObject nextError() throws InterruptedException {
    Object o = next();
    if (o instanceof JsonObject j) {
      return j;
    }
    throw new AssertionError("expected an error, got " + o);
  }

  short awaitClose() throws Exception {
    return closeCode.get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    if (!closeCode.isDone()) {
      ServiceHarness.await(ws.close());
    }
    ServiceHarness.await(client.close());
  }
}
