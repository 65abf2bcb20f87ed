package dev.denoiser.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.Frame;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.frame.MediaType;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP edge attacked over raw sockets: unauthenticated uploads, slow headers and bodies, too
 * many connections, a token in the query string, overflowing sizes, unknown routes and methods.
 */
class EdgeHardeningTest {
  static final String TOKEN = "s3cret";
  static final String AUTH = "Authorization: Bearer " + TOKEN + "\r\n";
  @TempDir static Path models;
  static ServiceHarness svc;

  @BeforeAll
  static void start() throws Exception {
    TestModels.write(models, "m", 1, 1);
    svc =
        ServiceHarness.start(
            models,
            new JsonObject()
                .put("models.default", "m")
                .put("auth.token", TOKEN)
                .put("http.headerTimeoutMillis", 1_000)
                .put("http.bodyTimeoutMillis", 1_500)
                .put("http.idleTimeoutMillis", 2_000));
  }

  @AfterAll
  static void stop() throws Exception {
    svc.close();
  }

  static RawHttp.Response request(String method, String path, String extraHeaders)
      throws IOException {
    try (RawHttp c = new RawHttp(svc.port())) {
      c.write(
          method
              + " "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + extraHeaders
              + "Connection: close\r\n\r\n");
      return c.read();
    }
  }

  static void expect(RawHttp.Response r, int status, String code) {
    assertNotNull(r, "an answer");
    assertEquals(status, r.status(), r.head() + r.body());
    assertEquals(code, new JsonObject(r.body()).getString("code"), r.body());
  }

  double metric(String line) throws IOException {
    String text = request("GET", "/metrics", AUTH).body();
    for (String l : text.split("\n")) {
      if (l.startsWith(line + " ")) {
        return Double.parseDouble(l.substring(line.length() + 1));
      }
    }
    return 0;
  }

  @Test
  void anUnauthenticatedTwentyMegabytePostIsRefusedWithoutBeingRead() throws Exception {
    long declared = 20L << 20;
    AtomicLong sent = new AtomicLong();
    try (RawHttp c = new RawHttp(svc.port())) {
      c.write(
          "POST /v1/models/m/denoise?width=4096&height=5120 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: application/x-gray8\r\nContent-Length: "
              + declared
              + "\r\n\r\n");
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                byte[] chunk = new byte[64 << 10];
                try {
                  while (sent.get() < declared) {
                    c.socket.getOutputStream().write(chunk);
                    sent.addAndGet(chunk.length);
                  }
                } catch (IOException e) {
                  // the server closed the connection: what this test wants
                }
              });
      RawHttp.Response r = c.read();
      expect(r, 401, "UNAUTHORIZED");
      assertEquals("close", r.header("Connection"));
      assertEquals("Bearer", r.header("WWW-Authenticate"));
      assertTrue(c.closedByPeer(), "the connection is closed after the 401");
      writer.get(30, TimeUnit.SECONDS);
      assertTrue(
          sent.get() < declared,
          "the upload was cut off: " + sent.get() + " of " + declared + " bytes sent");
    }
    assertTrue(metric("denoiser_http_connections_closed_total{reason=\"unauthorized\"}") >= 1);
    assertTrue(metric("denoiser_http_errors_total{code=\"UNAUTHORIZED\"}") >= 1);
    assertEquals(200, request("GET", "/v2/health/ready", "").status(), "still ready");
  }

  @Test
  void metricsSamplesAndModelsNeedTheTokenHealthAndThePageDoNot() throws Exception {
    expect(request("GET", "/metrics", ""), 401, "UNAUTHORIZED");
    expect(request("GET", "/v1/samples/digits?count=1", ""), 401, "UNAUTHORIZED");
    expect(request("GET", "/v1/models", ""), 401, "UNAUTHORIZED");
    expect(request("GET", "/v2/models/m", ""), 401, "UNAUTHORIZED");
    RawHttp.Response metrics = request("GET", "/metrics", AUTH);
    assertEquals(200, metrics.status());
    assertTrue(metrics.body().contains("denoiser_"), "Prometheus text");
    assertEquals(200, request("GET", "/v1/samples/digits?count=1", AUTH).status());
    assertEquals(200, request("GET", "/v2/health/live", "").status());
    assertEquals(200, request("GET", "/v2/health/ready", "").status());
    assertEquals(200, request("GET", "/", "").status());
    assertTrue(
        new JsonObject(request("GET", "/v2", "").body())
            .getJsonArray("extensions")
            .contains("binary_tensor_data"));
  }

  @Test
  void aTokenInTheQueryStringIsRefusedOutsideTheWebSocketUpgrade() throws Exception {
    expect(request("GET", "/v1/models?access_token=" + TOKEN, ""), 401, "UNAUTHORIZED");
    expect(request("GET", "/metrics?access_token=" + TOKEN, ""), 401, "UNAUTHORIZED");
    expect(request("GET", "/v2/models/m?access_token=" + TOKEN, ""), 401, "UNAUTHORIZED");
    // the upgrade takes it (browsers cannot set headers there)
    try (RawHttp c = new RawHttp(svc.port())) {
      c.write(
          "GET /v1/stream?access_token="
              + TOKEN
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
              + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
      assertEquals(101, c.read().status());
    }
  }

  @Test
  void unknownRoutesAre404AndWrongMethods405WithAllow() throws Exception {
    expect(request("GET", "/nope", AUTH), 404, "NOT_FOUND");
    expect(request("GET", "/v1/models/m/denoise/extra", AUTH), 404, "NOT_FOUND");
    RawHttp.Response r = request("DELETE", "/v1/models/m/denoise", AUTH);
    expect(r, 405, "METHOD_NOT_ALLOWED");
    assertEquals("POST", r.header("Allow"));
    r = request("GET", "/v2/models/m/infer", AUTH);
    expect(r, 405, "METHOD_NOT_ALLOWED");
    assertEquals("POST", r.header("Allow"));
    r = request("PUT", "/v2/health/ready", "Content-Length: 0\r\n");
    expect(r, 405, "METHOD_NOT_ALLOWED");
    assertEquals("GET", r.header("Allow"));
    r = request("POST", "/v1/models", AUTH + "Content-Length: 0\r\n");
    expect(r, 405, "METHOD_NOT_ALLOWED");
    assertEquals("GET", r.header("Allow"));
  }

  @Test
  void slowlorisHeadersAreCutOff() throws Exception {
    String head =
        "GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + "a".repeat(100) + "\r\n\r\n";
    int written = trickle(new RawHttp(svc.port()), null, head);
    assertTrue(
        written < head.length(),
        "closed after " + written + " of " + head.length() + " header bytes");
    assertTrue(metric("denoiser_http_connections_closed_total{reason=\"header_timeout\"}") >= 1);
    assertEquals(200, request("GET", "/v2/health/ready", "").status(), "still ready");
  }

  @Test
  void slowlorisOnAKeptAliveConnectionIsCutOffToo() throws Exception {
    try (RawHttp c = new RawHttp(svc.port())) {
      c.write("GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertEquals(200, c.read().status());
      String head =
          "GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: "
              + "a".repeat(200)
              + "\r\n\r\n";
      int written = trickle(c, null, head);
      assertTrue(
          written < head.length(),
          "closed after " + written + " of " + head.length() + " header bytes");
    }
  }

  /** Writes {@code text} a byte every 50 ms until the server closes; returns the bytes written. */
  static int trickle(RawHttp c, String prefix, String text) throws Exception {
    try (c) {
      if (prefix != null) {
        c.write(prefix);
      }
      byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
      for (int i = 0; i < b.length; i++) {
        try {
          c.write(new byte[] {b[i]});
        } catch (IOException e) {
          return i;
        }
        if (c.socket.getInputStream().available() == 0 && peerClosed(c)) {
          return i + 1;
        }
        Thread.sleep(50);
      }
      return b.length;
    }
  }

  private static boolean peerClosed(RawHttp c) throws IOException {
    c.socket.setSoTimeout(1);
    try {
      return c.socket.getInputStream().read() == -1;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    } finally {
      c.socket.setSoTimeout(15_000);
    }
  }

  @Test
  void aBodyThatDoesNotArriveInTimeGets408AndTheConnectionCloses() throws Exception {
    try (RawHttp c = new RawHttp(svc.port())) {
      c.write(
          "POST /v1/models/m/denoise?width=100&height=100 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + AUTH
              + "Content-Type: application/x-gray8\r\nContent-Length: 10000\r\n\r\n");
      c.write(new byte[100]);
      RawHttp.Response r = c.read();
      expect(r, 408, "REQUEST_TIMEOUT");
      assertTrue(c.closedByPeer());
    }
    assertTrue(metric("denoiser_http_connections_closed_total{reason=\"body_timeout\"}") >= 1);
  }

  @Test
  void anIdleKeptAliveConnectionIsClosed() throws Exception {
    try (RawHttp c = new RawHttp(svc.port())) {
      c.write("GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertEquals(200, c.read().status());
      assertTrue(c.closedByPeer(), "closed within the socket timeout by http.idleTimeoutMillis");
    }
  }

  @Test
  void aPngDeclaring0xFFFFFFFFSquaredIsRefusedTyped() throws Exception {
    byte[] png = FrameCodec.encode(new Frame(new float[16], 4, 4), MediaType.PNG);
    ByteBuffer.wrap(png, 16, 8).putInt(0xFFFFFFFF).putInt(0xFFFFFFFF);
    try (RawHttp c = new RawHttp(svc.port())) {
      c.write(
          "POST /v1/models/m/denoise HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + AUTH
              + "Content-Type: image/png\r\nContent-Length: "
              + png.length
              + "\r\nConnection: close\r\n\r\n");
      c.write(png);
      expect(c.read(), 413, "PAYLOAD_TOO_LARGE");
    }
    // where it used to overflow: a limit that no longer bounds each side (h * w wrapped negative)
    for (long limit : new long[] {Long.MAX_VALUE, 1L << 40}) {
      DenoiserException e =
          assertThrows(
              DenoiserException.class,
              () -> new FrameCodec(limit).decode(MediaType.PNG, png, null, null, null, null));
      assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, e.code(), e.getMessage());
    }
    assertEquals(
        ErrorCode.PAYLOAD_TOO_LARGE,
        assertThrows(
                DenoiserException.class,
                () -> new FrameCodec(Long.MAX_VALUE).checkSize(0xFFFFFFFFL, 0xFFFFFFFFL))
            .code());
    assertEquals(
        ErrorCode.PAYLOAD_TOO_LARGE,
        assertThrows(
                DenoiserException.class,
                () -> new FrameCodec(Long.MAX_VALUE).checkSize(40_000, 40_000))
            .code(),
        "three planes would not fit one array");
    assertEquals(2, new FrameCodec(Long.MAX_VALUE).checkSize(2, 3)[0]);
  }

  @Test
  void theConnectionCapRefusesOneMoreConnectionFromTheSameClient(@TempDir Path dir)
      throws Exception {
    TestModels.write(dir, "m", 1, 1);
    try (ServiceHarness capped =
        ServiceHarness.start(
            dir,
            new JsonObject()
                .put("http.maxConnectionsPerClient", 3)
                .put("http.headerTimeoutMillis", 60_000))) {
      List<RawHttp> open = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          RawHttp c = new RawHttp(capped.port());
          c.write("GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
          assertEquals(200, c.read().status());
          open.add(c);
        }
        try (RawHttp fourth = new RawHttp(capped.port())) {
          assertTrue(fourth.closedByPeer(), "the fourth connection is closed at once");
        }
        for (RawHttp c : open) {
          c.write("GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
          assertEquals(200, c.read().status(), "the first three still work");
        }
        open.remove(0).close();
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  try (RawHttp again = new RawHttp(capped.port())) {
                    again.write(
                        "GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
                    RawHttp.Response r = again.read();
                    assertNotNull(r, "a slot is free again once one closes");
                    assertEquals(200, r.status());
                  }
                });
      } finally {
        for (RawHttp c : open) {
          c.close();
        }
      }
    }
  }

  @Test
  void closedWebSocketsGiveTheirConnectionSlotsBack(@TempDir Path dir) throws Exception {
    TestModels.write(dir, "m", 1, 1);
    try (ServiceHarness capped =
        ServiceHarness.start(dir, new JsonObject().put("http.maxConnectionsPerClient", 2))) {
      for (int round = 0; round < 3; round++) {
        List<RawHttp> sockets = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          // polled: the server sees the previous round's closes a moment after the client
          await()
              .atMost(Duration.ofSeconds(10))
              .untilAsserted(
                  () -> {
                    RawHttp c = new RawHttp(capped.port());
                    c.write(
                        "GET /v1/stream?format=gray8&width=8&height=8 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
                    RawHttp.Response r = c.read();
                    if (r == null) {
                      c.close();
                    }
                    assertNotNull(r, "the slots of the closed sockets are given back");
                    assertEquals(101, r.status());
                    sockets.add(c);
                  });
        }
        try (RawHttp third = new RawHttp(capped.port())) {
          assertTrue(third.closedByPeer(), "two WebSockets fill a cap of two");
        }
        for (RawHttp c : sockets) {
          c.close();
        }
      }
    }
  }

  @Test
  void withoutATokenNothingIsRefusedForWantOfOne(@TempDir Path dir) throws Exception {
    TestModels.write(dir, "m", 1, 1);
    try (ServiceHarness open = ServiceHarness.start(dir, new JsonObject())) {
      try (RawHttp c = new RawHttp(open.port())) {
        c.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertEquals(200, c.read().status());
      }
      try (RawHttp c = new RawHttp(open.port())) {
        c.write("GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        RawHttp.Response r = c.read();
        assertEquals(404, r.status());
        assertNull(r.header("WWW-Authenticate"));
        assertFalse(r.body().contains("\tat "), "no stack trace");
      }
    }
  }
}
