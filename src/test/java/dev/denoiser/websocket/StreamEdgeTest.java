package dev.denoiser.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebSocket's edge: idle sockets are closed, and origins are judged without the Host header.
 */
class StreamEdgeTest {
  static final String TOKEN = "ws-token";
  static final String RAW = "format=gray8&width=8&height=8&access_token=" + TOKEN;
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
                .put("stream.idleTimeoutMillis", 1_000)
                .put("http.publicUrl", "https://denoiser.example.com"));
  }

  @AfterAll
  static void stop() throws Exception {
    svc.close();
  }

  @Test
  void anIdleWebSocketIsClosedWith1001() throws Exception {
    try (WsTestClient c = WsTestClient.connect(svc.vertx, svc.port(), RAW)) {
      assertEquals(1001, c.awaitClose());
      JsonObject error = c.nextError();
      assertEquals("REQUEST_TIMEOUT", error.getString("code"));
      assertTrue(error.getString("message").contains("stream.idleTimeoutMillis"), error.encode());
    }
    int ready =
        ServiceHarness.await(
            svc.vertx
                .createHttpClient()
                .request(
                    io.vertx.core.http.HttpMethod.GET, svc.port(), "127.0.0.1", "/v2/health/ready")
                .compose(r -> r.send())
                .map(r -> r.statusCode()));
    assertEquals(200, ready, "still ready");
  }

  @Test
  void aSocketThatKeepsSendingStaysOpenPastTheIdleTimeout() throws Exception {
    try (WsTestClient c = WsTestClient.connect(svc.vertx, svc.port(), RAW)) {
      for (int i = 0; i < 10; i++) {
        c.send(new byte[64]);
        assertEquals(i, c.nextReply().seq());
        Thread.sleep(300); // 3 s of traffic in all, three idle timeouts' worth
      }
      assertFalse(c.closed().isComplete(), "open: it was never idle for a whole second");
    }
  }

  @Test
  void aDnsReboundPageIsRefusedWhateverTheHostHeaderSays() throws Exception {
    String host = "127.0.0.1:" + svc.port();
    UpgradeRejectedException e =
        WsTestClient.refused(
            svc.vertx,
            svc.port(),
            RAW,
            "Origin",
            "http://rebound.attacker.example:" + svc.port(),
            "Host",
            host);
    assertEquals(403, e.getStatus());
    assertEquals("FORBIDDEN", new JsonObject(e.getBody()).getString("code"));
    // the old check let an origin in when it matched the Host header; a rebound name does
    e =
        WsTestClient.refused(
            svc.vertx,
            svc.port(),
            RAW,
            "Origin",
            "http://rebound.attacker.example:" + svc.port(),
            "Host",
            "rebound.attacker.example:" + svc.port());
    assertEquals(403, e.getStatus());
    for (String origin :
        new String[] {
          "https://denoiser.example.com", "http://localhost:" + svc.port(), "http://" + host
        }) {
      try (WsTestClient c = WsTestClient.connect(svc.vertx, svc.port(), RAW, "Origin", origin)) {
        c.send(new byte[64]);
        assertEquals(0, c.nextReply().seq(), origin);
      }
    }
  }
}
