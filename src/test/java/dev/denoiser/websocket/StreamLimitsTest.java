package dev.denoiser.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.SampleDigits;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection limit, and the 1001 close when the service drains. */
class StreamLimitsTest {
  static final String RAW = "mode=lossless&format=gray8&width=28&height=28";

  @Test
  void connectionOverTheLimitIsRefusedAndShutdownClosesWith1001(@TempDir Path models) throws Exception {
    TestModels.write(models, "conv-upsample", 1, 7);
    byte[] digit = SampleDigits.load().gray8(3);
    ServiceHarness svc = ServiceHarness.start(models, new JsonObject().put("stream.maxConnections", 2));
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
        assertTrue(a.received.poll() instanceof StreamReply, "frames accepted before the shutdown are answered");
        answered++;
      }
      assertTrue(answered <= 20);
      c.close();
    } finally {
      svc.close();
    }
  }

  /** The server sees the close of a socket a little after the client; retry until the slot is free. */
  private static WsTestClient awaitAccepted(ServiceHarness svc) throws Exception {
    for (int attempt = 0; ; attempt++) {
      try {
        return WsTestClient.connect(svc.vertx, svc.port(), RAW);
      } catch (java.util.concurrent.ExecutionException e) {
        if (attempt > 100 || !(e.getCause() instanceof UpgradeRejectedException)) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }
}
