package dev.denoiser.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GracefulShutdownTest {
  @Test
  void drainFinishesEveryAcceptedRequest(@TempDir Path models) throws Exception {
    TestModels.write(models, "m", 1, 1, 0, 0, 8);
    ServiceHarness svc =
        ServiceHarness.start(models, new JsonObject().put("batching.maxBatchSize", 2));
    Vertx clientVertx = Vertx.vertx();
    WebClient c =
        WebClient.create(
            clientVertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(svc.port()),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(16));
    try {
      byte[] body = new byte[192 * 192];
      List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        inFlight.add(
            c.post("/v1/models/m/denoise?width=192&height=192")
                .putHeader("Content-Type", "application/x-gray8")
                .sendBuffer(Buffer.buffer(body)));
      }
      // Wait until the service has accepted all twelve (at most one batch of two runs at a time,
      // so queued + answered >= 10 means every request has arrived), then drain mid-way.
      Awaitility.await("the service accepted the requests")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(1))
          .until(() -> accepted(svc) >= 10);
      assertTrue(
          inFlight.stream().anyMatch(f -> !f.isComplete()),
          "requests still in flight when the drain starts");
      ServiceHarness.await(svc.service.drain());
      ServiceHarness.await(Future.join(inFlight));
      for (Future<HttpResponse<Buffer>> f : inFlight) {
        assertTrue(f.succeeded(), "accepted request failed: " + f.cause());
        assertEquals(200, f.result().statusCode(), f.result().bodyAsString());
      }
      assertEquals(12.0, svc.svc().metrics().model("m").success.count());
      assertTrue(!svc.svc().ready(), "not ready once draining");
    } finally {
      c.close();
      ServiceHarness.await(clientVertx.close());
      svc.close();
    }
  }

  private static double accepted(ServiceHarness svc) {
    var gauge =
        svc.svc()
            .metrics()
            .registry()
            .find("nv_inference_pending_request_count")
            .tag("model", "m")
            .gauge();
    return (gauge == null ? 0 : gauge.value()) + svc.svc().metrics().model("m").success.count();
  }
}
