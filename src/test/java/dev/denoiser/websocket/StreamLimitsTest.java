package dev.denoiser.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.SampleDigits;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection limit, and the 1001 close when the service drains. The steps depend on each other
 * in order, so the test reads the blocking client; the service comes and goes through the context.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class StreamLimitsTest {
  static final String RAW = "mode=lossless&format=gray8&width=28&height=28";
  @TempDir Path models;
  ServiceHarness svc;

  @BeforeEach
  void start(VertxTestContext ctx) {
    TestModels.write(models, "conv-upsample", 1, 7);
    ServiceHarness.deploy(models, new JsonObject().put("stream.maxConnections", 2))
        .onComplete(
            ctx.succeeding(
                h -> {
                  svc = h;
                  ctx.completeNow();
                }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    svc.stop().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void connectionOverTheLimitIsRefusedAndShutdownClosesWith1001() throws Exception {
    byte[] digit = SampleDigits.load().gray8(3);
    try (WsTestClient a = WsTestClient.connect(svc.vertx, svc.port(), RAW);
        WsTestClient b = WsTestClient.connect(svc.vertx, svc.port(), RAW)) {
      a.send(digit);
      b.send(digit);
      assertEquals(0, a.nextReply().seq());
      assertEquals(0, b.nextReply().seq());
      UpgradeRejectedException e = WsTestClient.refused(svc.vertx, svc.port(), RAW);
      assertEquals(503, e.getStatus());
      JsonObject body = new JsonObject(e.getBody());
      assertEquals("OVERLOADED", body.getString("code"));
      assertTrue(body.getString("message").contains("stream.maxConnections"), body.encode());

      b.close();
      WsTestClient c = awaitAccepted(svc);
      c.send(digit);
      assertEquals(0, c.nextReply().seq());

      for (int i = 0; i < 20; i++) {
        a.send(digit);
      }
      ServiceHarness.await(svc.service.drain());
      assertEquals(1001, a.awaitClose());
      assertEquals(1001, c.awaitClose());
      int answered = 0;
      while (!a.received.isEmpty()) {
        assertTrue(
            a.received.poll() instanceof StreamReply,
            "frames accepted before the shutdown are answered");
        answered++;
      }
      assertTrue(answered <= 20);
      c.close();
    }
  }

  /**
   * The server sees the close of a socket a little after the client; retry (for at most 10 s) until
   * the slot is free.
   */
  private static WsTestClient awaitAccepted(ServiceHarness svc) {
    AtomicReference<WsTestClient> accepted = new AtomicReference<>();
    Awaitility.await("a free connection slot")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptionsMatching(
            e ->
                e instanceof java.util.concurrent.ExecutionException
                    && e.getCause() instanceof UpgradeRejectedException)
        .until(
            () -> {
              accepted.set(WsTestClient.connect(svc.vertx, svc.port(), RAW));
              return true;
            });
    return accepted.get();
  }
}
