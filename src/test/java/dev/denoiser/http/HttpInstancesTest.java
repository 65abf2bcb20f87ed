package dev.denoiser.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.testing.ReadinessProbe;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http.instances}: the HTTP server runs as that many verticles on distinct event loops,
 * sharing one port (also when {@code http.port} is 0), and new connections go to each in turn. The
 * test also measures readiness while six clients post 2048 x 2048 noise PNGs (about 4 MB each) in a
 * loop, with one instance and with two, and prints both.
 */
@Tag("slow")
class HttpInstancesTest {
  static final int SIDE = 2048;
  static final int CLIENTS = 6;
  static final long LOAD_MS = 15_000;
  @TempDir static Path models;
  static byte[] png;

  @BeforeAll
  static void models() throws Exception {
    TestModels.write(models, "dyn", 1, 3);
    Random r = new Random(7);
    BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
    byte[] px = new byte[SIDE * SIDE];
    r.nextBytes(px);
    img.getRaster().setDataElements(0, 0, SIDE, SIDE, px);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    png = out.toByteArray();
  }

  static ServiceHarness start(int instances) throws Exception {
    return ServiceHarness.start(
        models,
        new JsonObject()
            .put(Setting.MODELS_DEFAULT.key(), "dyn")
            .put(Setting.HTTP_INSTANCES.key(), instances));
  }

  @Test
  void twoInstancesShareThePortOnTwoEventLoops() throws Exception {
    try (ServiceHarness svc = start(2)) {
      List<HttpVerticle> http = svc.service.httpInstances();
      assertEquals(2, http.size());
      assertEquals(http.get(0).port(), http.get(1).port(), "one port");
      assertNotEquals(http.get(0).eventLoop(), http.get(1).eventLoop(), "two event loops");
      http.forEach(
          h ->
              assertTrue(
                  h.eventLoop().getName().contains("eventloop"),
                  h.eventLoop().getName() + " is an event loop"));
      long[] before = http.stream().mapToLong(HttpVerticle::connectionsAccepted).toArray();
      for (int i = 0; i < 10; i++) {
        new ReadinessProbe(svc.port()).sample(1, 0); // a new client, a new connection
      }
      for (int i = 0; i < 2; i++) {
        long got = http.get(i).connectionsAccepted() - before[i];
        assertTrue(got >= 1, "instance " + i + " was handed " + got + " of 10 connections");
      }
    }
  }

  @Test
  void readinessUnderLargePngPostsWithOneAndTwoInstances() throws Exception {
    for (int instances : new int[] {1, 2}) {
      try (ServiceHarness svc = start(instances)) {
        assertEquals(instances, svc.service.httpInstances().size());
        Load load = new Load(svc.port());
        ReadinessProbe probe = new ReadinessProbe(svc.port());
        ReadinessProbe.Stats idle = probe.sample(20, 20);
        load.start();
        ReadinessProbe.Stats busy;
        try {
          busy = probe.until(() -> false, 20, LOAD_MS);
        } finally {
          load.stop();
        }
        System.out.printf(
            "http-instances=%d: idle %s; under %d clients posting %.1f MB PNGs: %s; answers %s%n",
            instances, idle, CLIENTS, png.length / 1e6, busy, load.statuses);
        assertTrue(busy.count() >= 10, "readiness was probed under load: " + busy);
        assertTrue(
            load.statuses.keySet().stream().allMatch(s -> s == 200 || s == 503),
            "posts were answered or refused OVERLOADED: " + load.statuses);
        assertTrue(load.statuses.getOrDefault(200, 0) >= 1, "some posts ran: " + load.statuses);
      }
    }
  }

  /** CLIENTS loops posting the PNG from their own Vert.x until stopped. */
  static final class Load {
    final Vertx vertx = Vertx.vertx();
    final WebClient client;
    final AtomicBoolean running = new AtomicBoolean(true);
    final Map<Integer, Integer> statuses = new TreeMap<>();
    final Map<Integer, Integer> counts = new ConcurrentHashMap<>();
    final List<Future<Void>> loops = new ArrayList<>();

    Load(int port) {
      client =
          WebClient.create(
              vertx,
              new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
              new io.vertx.core.http.PoolOptions().setHttp1MaxSize(CLIENTS));
    }

    void start() {
      for (int i = 0; i < CLIENTS; i++) {
        Promise<Void> done = Promise.promise();
        loops.add(done.future());
        vertx.runOnContext(v -> next(done));
      }
    }

    private void next(Promise<Void> done) {
      if (!running.get()) {
        done.complete();
        return;
      }
      client
          .post("/v1/models/dyn/encode?timeout_ms=60000")
          .putHeader("Content-Type", "image/png")
          .sendBuffer(Buffer.buffer(png))
          .onComplete(
              ar -> {
                counts.merge(ar.succeeded() ? ar.result().statusCode() : -1, 1, Integer::sum);
                next(done);
              });
    }

    void stop() throws Exception {
      running.set(false);
      ServiceHarness.await(Future.join(new ArrayList<>(loops)));
      statuses.putAll(counts);
      client.close();
      ServiceHarness.await(vertx.close());
    }
  }
}
