package dev.denoiser.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.frame.FrameCodec;
import dev.denoiser.frame.MediaType;
import dev.denoiser.testing.Pngs;
import dev.denoiser.testing.ReadinessProbe;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoding is off the event loops: while six small PNGs that declare 4096 x 4096 16-bit RGBA (a
 * decompression bomb of about 130 KB) and six that declare 2048 x 2048 16-bit RGBA (within {@code
 * frame.maxPixels}, so really decoded: seconds each) are in flight, readiness answers about as fast
 * as when idle, on the default settings. The bound is relative, so a loaded machine does not fail
 * it: the median readiness time must stay under a quarter of one decode of such a bomb (measured in
 * the test; a probe behind a decode on its event loop waits half of one on average) or ten times
 * the idle median, whichever is larger, and at most one probe in ten may wait longer than a whole
 * decode. With the decode on the event loop readiness took 3 to 8 s.
 */
@Tag("slow")
class DecodeOffEventLoopTest {
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
    FrameCodec codec = svc.svc().codec();
    codec.decode(MediaType.PNG, within, null, null, null, null); // warm up
    long t = System.nanoTime();
    codec.decode(MediaType.PNG, within, null, null, null, null);
    long decodeMs = (System.nanoTime() - t) / 1_000_000;
    ReadinessProbe probe = new ReadinessProbe(svc.port());
    probe.sample(5, 10); // warm the prober up
    ReadinessProbe.Stats idle = probe.sample(30, 20);
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
    long gcBefore = gcMillis();
    ReadinessProbe.Stats busy = probe.until(all::isComplete, 50, 300_000);
    long bound = Math.max(decodeMs / 4, 10 * Math.max(1, idle.p50()));
    System.out.printf(
        "decode-off-loop: one 2048x2048 16-bit RGBA decode %d ms; idle: %s; while decoding: %s;"
            + " bound %d ms; gc %d ms%n",
        decodeMs, idle, busy, bound, gcMillis() - gcBefore);
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
    assertTrue(busy.count() >= 3, "readiness was probed while they ran: " + busy);
    assertTrue(
        busy.p50() <= bound,
        "median readiness " + busy.p50() + " ms while the bombs decoded; bound " + bound + " ms");
    assertTrue(
        busy.over(decodeMs) * 10 <= busy.count(),
        "at most one probe in ten waited longer than one decode (" + decodeMs + " ms): " + busy);
  }
}
