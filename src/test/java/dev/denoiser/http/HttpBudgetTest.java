package dev.denoiser.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.frame.Frame;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.frame.MediaType;
import dev.denoiser.source.MemoryBudget;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP frames take their bytes from the shared in-flight budget and give them back. */
class HttpBudgetTest {
  private static final long BUDGET = 8L << 20;
  @TempDir static Path models;
  static ServiceHarness svc;
  static WebClient http;

  @BeforeAll
  static void start() throws Exception {
    TestModels.write(models, "dyn", 1, 3);
    svc =
        ServiceHarness.start(
            models,
            new JsonObject()
                .put("models.default", "dyn")
                .put("memory.inflightBytes", BUDGET)
                .put("frame.maxPixels", 4096 * 4096));
    http =
        WebClient.create(
            svc.vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(svc.port()));
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    svc.close();
  }

  static HttpResponse<Buffer> post(byte[] png) throws Exception {
    return ServiceHarness.await(
        http.post("/v1/models/dyn/denoise")
            .putHeader("Content-Type", "image/png")
            .sendBuffer(Buffer.buffer(png)));
  }

  static byte[] png(int h, int w) {
    float[] px = new float[h * w];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i % 7) / 7f;
    }
    return FrameCodec.encode(new Frame(px, h, w), MediaType.PNG);
  }

  double refusals(String source) {
    var c = svc.metered.registry().find("denoiser_memory_refusals").tag("source", source).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void overTheBudgetIs503WithRetryAfterAndTheBytesComeBack() throws Exception {
    MemoryBudget budget = svc.svc().budget();
    assertEquals(BUDGET, budget.capacity());
    double before = refusals("http");
    MemoryBudget.Lease hog = budget.tryAcquire("kafka", BUDGET - 1000);
    try {
      HttpResponse<Buffer> r = post(png(64, 64));
      assertEquals(503, r.statusCode(), r.bodyAsString());
      assertEquals("1", r.getHeader("Retry-After"));
      assertEquals("OVERLOADED", r.bodyAsJsonObject().getString("code"));
      assertTrue(r.bodyAsJsonObject().getString("message").contains("memory.inflightBytes"));
      assertEquals(before + 1, refusals("http"));
    } finally {
      hog.close();
    }
    HttpResponse<Buffer> ok = post(png(64, 64));
    assertEquals(200, ok.statusCode(), ok.bodyAsString());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> budget.used() == 0);
    String metrics = ServiceHarness.await(http.get("/metrics").send()).bodyAsString();
    assertTrue(
        metrics.contains("denoiser_inflight_bytes{source=\"http\"}"),
        "bytes in flight by source are scraped");
    assertTrue(
        metrics.contains("denoiser_memory_refusals_total{source=\"http\"}"),
        "refusals by source are scraped");
  }

  @Test
  void aBodyIsCountedByItsContentLengthBeforeItIsRead() throws Exception {
    MemoryBudget budget = svc.svc().budget();
    MemoryBudget.Lease some = budget.tryAcquire("websocket", 1000);
    try {
      // 9 MB declared: more than the budget, and something else is in flight
      HttpResponse<Buffer> r =
          ServiceHarness.await(
              http.post("/v1/models/dyn/denoise")
                  .putHeader("Content-Type", "application/x-gray8")
                  .sendBuffer(Buffer.buffer(new byte[9 << 20])));
      assertEquals(503, r.statusCode(), r.bodyAsString());
      assertEquals("OVERLOADED", r.bodyAsJsonObject().getString("code"));
    } finally {
      some.close();
    }
  }

  @Test
  void aLargeFrameAloneRunsEvenWhenItCostsMoreThanTheBudget() throws Exception {
    // 1024 x 1024 gray: about 10 MB decoded and answered, more than the 8 MB budget
    HttpResponse<Buffer> r = post(png(1024, 1024));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("1024", r.getHeader("X-Width"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> svc.svc().budget().used() == 0);
  }

  @Test
  void aDeclaredSizeOverTheLimitIsRefusedBeforeAnyBudgetIsTaken() throws Exception {
    byte[] huge = png(8, 8);
    // rewrite the IHDR to declare 65536 x 65536 (2^32 pixels; an int product would be 0)
    java.nio.ByteBuffer.wrap(huge, 16, 8).putInt(65536).putInt(65536);
    HttpResponse<Buffer> r = post(huge);
    assertEquals(413, r.statusCode(), r.bodyAsString());
    assertEquals("PAYLOAD_TOO_LARGE", r.bodyAsJsonObject().getString("code"));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> svc.svc().budget().used() == 0);
  }
}
