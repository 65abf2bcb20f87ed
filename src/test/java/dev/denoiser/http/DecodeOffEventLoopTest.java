package dev.denoiser.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.testing.Pngs;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoding is off the event loops: while six small PNGs that declare 4096 x 4096 16-bit RGBA (a
 * decompression bomb of about 130 KB) and six that declare 2048 x 2048 16-bit RGBA (within {@code
 * frame.maxPixels}, so really decoded: seconds each) are in flight, readiness still answers within
 * 500 ms, on the default settings. With the decode on the event loop it took 3 to 8 s.
 */
@Tag("slow")
class DecodeOffEventLoopTest {
  private static final long READY_BOUND_MS = 500;
  @TempDir static Path models;
  static ServiceHarness svc;
  static WebClient http;

  @BeforeAll
  static void start() throws Exception {
    TestModels.write(models, "dyn", 1, 3);
    svc = ServiceHarness.start(models, new JsonObject().put("models.default", "dyn"));
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

  static long gcMillis() {
    long t = 0;
    for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      t += Math.max(0, gc.getCollectionTime());
    }
    return t;
  }

  @Test
  void readinessAnswersFastWhileBombsDecode() throws Exception {
    byte[] bomb = Pngs.declaring(4096, 4096, 16, 6, true);
    assertTrue(bomb.length < 200_000, "a small file: " + bomb.length + " bytes");
    byte[] within = Pngs.declaring(2048, 2048, 16, 6, true);
    HttpClient probe =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + svc.port() + "/v2/health/ready"))
            .timeout(Duration.ofSeconds(60))
            .build();
    for (int i = 0; i < 5; i++) {
      assertEquals(
          200, probe.send(ready, BodyHandlers.ofString()).statusCode()); // warm the prober up
    }
    List<Future<HttpResponse<Buffer>>> refused = new ArrayList<>();
    List<Future<HttpResponse<Buffer>>> posts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      refused.add(
          http.post("/v1/models/dyn/encode")
              .putHeader("Content-Type", "image/png")
              .sendBuffer(Buffer.buffer(bomb)));
      posts.add(
          http.post("/v1/models/dyn/encode?timeout_ms=300000")
              .putHeader("Content-Type", "image/png")
              .sendBuffer(Buffer.buffer(within)));
    }
    List<Future<HttpResponse<Buffer>>> every = new ArrayList<>(posts);
    every.addAll(refused);
    Future<?> all = Future.join(every);
    long worst = 0;
    int probes = 0;
    long gcBefore = gcMillis();
    long t00 = System.nanoTime();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!all.isComplete() && System.nanoTime() < end) {
      long t0 = System.nanoTime();
      int status = probe.send(ready, BodyHandlers.ofString()).statusCode();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(200, status);
      worst = Math.max(worst, ms);
      if (ms > 200) {
        System.out.printf(
            "decode-off-loop: slow readiness %d ms at +%d ms (gc so far %d ms)%n",
            ms, (t0 - t00) / 1_000_000, gcMillis() - gcBefore);
      }
      probes++;
      Thread.sleep(50);
    }
    System.out.printf(
        "decode-off-loop: %d readiness probes, worst %d ms, gc %d ms%n",
        probes, worst, gcMillis() - gcBefore);
    assertTrue(all.isComplete(), "the six requests finished in 300 s");
    for (Future<HttpResponse<Buffer>> f : refused) {
      assertEquals(
          413,
          f.result().statusCode(),
          "4096 x 4096 is over frame.maxPixels: " + f.result().bodyAsString());
    }
    int ok = 0;
    for (Future<HttpResponse<Buffer>> f : posts) {
      HttpResponse<Buffer> r = f.result();
      if (r.statusCode() == 200) {
        ok++;
      } else {
        assertEquals(503, r.statusCode(), r.bodyAsString());
        assertEquals("OVERLOADED", r.bodyAsJsonObject().getString("code"));
      }
    }
    System.out.printf(
        "decode-off-loop: %d bombs within the limit, %d decoded and run, %d refused OVERLOADED%n",
        posts.size(), ok, posts.size() - ok);
    assertTrue(ok >= 1, "at least one bomb was really decoded and run");
    assertTrue(probes >= 3, "readiness was probed while they ran: " + probes);
    assertTrue(worst < READY_BOUND_MS, "readiness took " + worst + " ms while the bombs decoded");
  }
}
