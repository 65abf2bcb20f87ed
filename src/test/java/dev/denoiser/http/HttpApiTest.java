package dev.denoiser.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.frame.Frame;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.frame.MediaType;
import dev.denoiser.model.ModelCard;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The REST API and the KServe v2 subset over real HTTP. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class HttpApiTest {
  @TempDir static Path models;
  static ServiceHarness svc;
  static WebClient http;
  static byte[] dynOnnx;

  @BeforeAll
  static void start(VertxTestContext ctx) throws Exception {
    TestModels.write(models, "dyn", 3, 21);
    TestModels.write(models, "fixed", 1, 22, 28, 28, 4);
    dynOnnx = Files.readAllBytes(models.resolve("dyn").resolve(ModelCard.MODEL_FILE));
    ServiceHarness.deploy(
            models,
            new JsonObject()
                .put("models.default", "dyn")
                .put("http.maxBodyBytes", 1 << 20)
                .put("frame.maxPixels", 512 * 512))
        .onComplete(
            ctx.succeeding(
                h -> {
                  svc = h;
                  http =
                      WebClient.create(
                          svc.vertx,
                          new WebClientOptions()
                              .setDefaultHost("127.0.0.1")
                              .setDefaultPort(svc.port()));
                  ctx.completeNow();
                }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    http.close();
    svc.stop().onComplete(ctx.succeedingThenComplete());
  }

  static Future<HttpResponse<Buffer>> post(
      String path, String contentType, byte[] body, String... headers) {
    var req = http.post(path).putHeader("Content-Type", contentType);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      req.putHeader(headers[i], headers[i + 1]);
    }
    return req.sendBuffer(Buffer.buffer(body));
  }

  /**
   * A service of its own with {@code overrides}, and a client of it; both closed when {@code
   * test}'s future ends.
   */
  static void withService(
      VertxTestContext ctx,
      Path dir,
      JsonObject overrides,
      java.util.function.Function<WebClient, Future<Void>> test) {
    TestModels.write(dir, "m", 1, 1);
    ServiceHarness.deploy(dir, overrides)
        .onComplete(
            ctx.succeeding(
                own -> {
                  WebClient c =
                      WebClient.create(
                          own.vertx,
                          new WebClientOptions()
                              .setDefaultPort(own.port())
                              .setDefaultHost("127.0.0.1"));
                  test.apply(c)
                      .eventually(
                          () -> {
                            c.close();
                            return own.stop();
                          })
                      .onComplete(ctx.succeedingThenComplete());
                }));
  }

  static Frame digitLike(int h, int w, long seed) {
    Random r = new Random(seed);
    float[] px = new float[h * w];
    for (int i = 0; i < px.length; i++) {
      px[i] = Math.round(r.nextFloat() * 255) / 255f;
    }
    return new Frame(px, h, w);
  }

  @Test
  void pngInPngOutWithVersionAndTimingHeaders(VertxTestContext ctx) {
    Frame f = digitLike(28, 28, 1);
    post(
            "/v1/models/dyn/denoise",
            "image/png",
            FrameCodec.encode(f, MediaType.PNG),
            "X-Frame-Id",
            "frame-7")
        .onComplete(
            ctx.succeeding(
                resp ->
                    ctx.verify(
                        () -> {
                          assertEquals(200, resp.statusCode(), resp.bodyAsString());
                          assertEquals("image/png", resp.getHeader("Content-Type"));
                          assertEquals("3", resp.getHeader("X-Model-Version"));
                          assertEquals("frame-7", resp.getHeader("X-Frame-Id"));
                          assertNotNull(resp.getHeader("X-Compute-Micros"));
                          assertTrue(resp.getHeader("Server-Timing").contains("compute;dur="));
                          Frame out =
                              new FrameCodec(1 << 20)
                                  .decode(
                                      MediaType.PNG,
                                      resp.body().getBytes(),
                                      null,
                                      null,
                                      null,
                                      null);
                          float[] want = TestModels.reference(dynOnnx, f.pixels(), 28, 28);
                          for (int i = 0; i < want.length; i++) {
                            assertEquals(want[i], out.pixels()[i], 0.51 / 255, "pixel " + i);
                          }
                          ctx.completeNow();
                        })));
  }

  @Test
  void rawGray8InFloat32OutWhenAcceptAsks(VertxTestContext ctx) {
    Frame f = digitLike(16, 20, 2);
    post(
            "/v1/models/dyn/denoise?width=20&height=16",
            "application/x-gray8",
            FrameCodec.toGray8(f.pixels()),
            "Accept",
            "application/x-float32")
        .onComplete(
            ctx.succeeding(
                resp ->
                    ctx.verify(
                        () -> {
                          assertEquals(200, resp.statusCode(), resp.bodyAsString());
                          assertEquals("application/x-float32", resp.getHeader("Content-Type"));
                          assertEquals("20", resp.getHeader("X-Width"));
                          float[] got = new float[16 * 20];
                          ByteBuffer.wrap(resp.body().getBytes())
                              .order(ByteOrder.LITTLE_ENDIAN)
                              .asFloatBuffer()
                              .get(got);
                          float[] want = TestModels.reference(dynOnnx, f.pixels(), 16, 20);
                          for (int i = 0; i < want.length; i++) {
                            assertEquals(want[i], got[i], 1e-5);
                          }
                          ctx.completeNow();
                        })));
  }

  @Test
  void encodeReturnsTheLatentAsJson(VertxTestContext ctx) {
    Frame f = digitLike(28, 28, 3);
    post(
            "/v1/models/fixed/encode",
            "application/x-float32",
            FrameCodec.toFloat32(f.pixels()),
            "X-Width",
            "28",
            "X-Height",
            "28")
        .onComplete(
            ctx.succeeding(
                resp ->
                    ctx.verify(
                        () -> {
                          assertEquals(200, resp.statusCode(), resp.bodyAsString());
                          JsonObject j = resp.bodyAsJsonObject();
                          assertEquals(4, j.getInteger("latentDim"));
                          assertEquals(4, j.getJsonArray("latent").size());
                          assertEquals("fixed", j.getString("model"));
                          ctx.completeNow();
                        })));
  }

  @Test
  void badInputGetsTypedJsonErrors(VertxTestContext ctx) {
    byte[] png = FrameCodec.encode(digitLike(28, 28, 4), MediaType.PNG);
    byte[] truncated = java.util.Arrays.copyOf(png, 40);
    float[] nan = new float[16];
    nan[5] = Float.NaN;
    byte[] huge = png.clone();
    ByteBuffer.wrap(huge, 16, 8).putInt(5000).putInt(5000);
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    List<Object[]> want = new ArrayList<>();
    java.util.function.BiConsumer<Future<HttpResponse<Buffer>>, Object[]> expect =
        (f, w) -> {
          sent.add(f);
          want.add(w);
        };
    expect.accept(
        post("/v1/models/dyn/denoise", "image/png", truncated),
        new Object[] {400, "INVALID_FRAME"});
    expect.accept(
        post("/v1/models/dyn/denoise", "image/png", "hello".getBytes()),
        new Object[] {400, "INVALID_FRAME"});
    expect.accept(
        post("/v1/models/dyn/denoise?width=4&height=4", "application/x-gray8", new byte[15]),
        new Object[] {400, "INVALID_FRAME"});
    expect.accept(
        post("/v1/models/dyn/denoise?width=0&height=4", "application/x-gray8", new byte[0]),
        new Object[] {400, "INVALID_FRAME"});
    expect.accept(
        post("/v1/models/dyn/denoise", "image/gif", png),
        new Object[] {415, "UNSUPPORTED_MEDIA_TYPE"});
    expect.accept(
        post(
            "/v1/models/dyn/denoise?width=4&height=4",
            "application/x-float32",
            FrameCodec.toFloat32(nan)),
        new Object[] {400, "INVALID_FRAME"});
    expect.accept(
        post("/v1/models/nope/denoise", "image/png", png), new Object[] {404, "MODEL_NOT_FOUND"});
    expect.accept(
        post("/v1/models/fixed/denoise?width=30&height=30", "application/x-gray8", new byte[900]),
        new Object[] {400, "UNSUPPORTED_SHAPE"});
    expect.accept(
        post(
            "/v1/models/dyn/denoise?width=1024&height=1024",
            "application/x-gray8",
            new byte[1024 * 1024]),
        new Object[] {413, "PAYLOAD_TOO_LARGE"});
    expect.accept(
        post("/v1/models/dyn/denoise", "image/png", huge), new Object[] {413, "PAYLOAD_TOO_LARGE"});
    expect.accept(
        post("/v2/models/dyn/infer", "application/json", "{not json".getBytes()),
        new Object[] {400, "BAD_REQUEST"});
    // an assertion error thrown in compose fails the future, and with it the test
    Future.all(sent)
        .compose(
            all -> {
              for (int i = 0; i < sent.size(); i++) {
                expectError(
                    sent.get(i).result(), (Integer) want.get(i)[0], (String) want.get(i)[1]);
              }
              return post("/v1/models/dyn/denoise", "image/png", png);
            })
        .onComplete(
            ctx.succeeding(
                after ->
                    ctx.verify(
                        () -> {
                          assertEquals(
                              200, after.statusCode(), "the service still works after all that");
                          ctx.completeNow();
                        })));
  }

  static void expectError(HttpResponse<Buffer> resp, int status, String code) {
    assertEquals(status, resp.statusCode(), resp.bodyAsString());
    JsonObject j = resp.bodyAsJsonObject();
    assertEquals(code, j.getString("code"), j.encode());
    assertFalse(j.getString("message").contains("\n\tat "), "no stack traces");
  }

  @Test
  void kserveV2HealthMetadataAndInfer(VertxTestContext ctx) {
    Checkpoint health = ctx.checkpoint(4);
    Checkpoint metadata = ctx.checkpoint();
    Checkpoint inferred = ctx.checkpoint();
    Object[][] probes = {
      {"/v2/health/live", 200},
      {"/v2/health/ready", 200},
      {"/v2/models/fixed/ready", 200},
      {"/v2/models/nope/ready", 404}
    };
    for (Object[] p : probes) {
      http.get((String) p[0])
          .send()
          .onComplete(
              ctx.succeeding(
                  r ->
                      ctx.verify(
                          () -> {
                            assertEquals(p[1], r.statusCode(), (String) p[0]);
                            health.flag();
                          })));
    }
    http.get("/v2/models/fixed")
        .send()
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          JsonObject meta = r.bodyAsJsonObject();
                          assertEquals(
                              "noisy",
                              meta.getJsonArray("inputs").getJsonObject(0).getString("name"));
                          assertEquals(
                              new JsonArray().add(-1).add(1).add(28).add(28),
                              meta.getJsonArray("inputs").getJsonObject(0).getJsonArray("shape"));
                          assertEquals(new JsonArray().add("1"), meta.getJsonArray("versions"));
                          metadata.flag();
                        })));

    int n = 3;
    JsonArray data = new JsonArray();
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Frame f = digitLike(8, 8, 10 + i);
      frames.add(f);
      for (float v : f.pixels()) {
        data.add(v);
      }
    }
    JsonObject req =
        new JsonObject()
            .put("id", "r1")
            .put(
                "inputs",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("name", "noisy")
                            .put("datatype", "FP32")
                            .put("shape", new JsonArray().add(n).add(1).add(8).add(8))
                            .put("data", data)));
    http.post("/v2/models/dyn/infer")
        .sendJsonObject(req)
        .onComplete(
            ctx.succeeding(
                resp ->
                    ctx.verify(
                        () -> {
                          assertEquals(200, resp.statusCode(), resp.bodyAsString());
                          JsonObject body = resp.bodyAsJsonObject();
                          assertEquals("r1", body.getString("id"));
                          assertEquals("3", body.getString("model_version"));
                          JsonObject den = body.getJsonArray("outputs").getJsonObject(0);
                          assertEquals("denoised", den.getString("name"));
                          assertEquals(
                              new JsonArray().add(n).add(1).add(8).add(8),
                              den.getJsonArray("shape"));
                          for (int i = 0; i < n; i++) {
                            float[] want =
                                TestModels.reference(dynOnnx, frames.get(i).pixels(), 8, 8);
                            for (int p = 0; p < 64; p++) {
                              assertEquals(
                                  want[p], den.getJsonArray("data").getFloat(i * 64 + p), 1e-5);
                            }
                          }
                          JsonObject lat = body.getJsonArray("outputs").getJsonObject(1);
                          assertEquals(new JsonArray().add(n).add(4), lat.getJsonArray("shape"));
                          inferred.flag();
                        })));
  }

  @Test
  void metricsUseTritonNames(VertxTestContext ctx) {
    post(
            "/v1/models/dyn/denoise",
            "image/png",
            FrameCodec.encode(digitLike(28, 28, 5), MediaType.PNG))
        .compose(r -> http.get("/metrics").send())
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          String text = r.bodyAsString();
                          assertTrue(
                              text.contains("nv_inference_request_success_total{model=\"dyn\"}"),
                              text);
                          assertTrue(
                              text.contains(
                                  "nv_inference_compute_infer_duration_us_total{model=\"dyn\"}"));
                          assertTrue(text.contains("denoiser_batch_size_bucket{model=\"dyn\""));
                          assertTrue(
                              text.contains("nv_inference_pending_request_count{model=\"dyn\"}"));
                          assertTrue(text.contains("denoiser_model_version{model=\"dyn\"} 3.0"));
                          ctx.completeNow();
                        })));
  }

  @Test
  void aFullQueueAnswers503WithRetryAfter(@TempDir Path dir, VertxTestContext ctx) {
    withService(
        ctx,
        dir,
        new JsonObject().put("batching.queueSize", 1).put("batching.maxBatchSize", 1),
        c -> {
          byte[] body = new byte[256 * 256];
          List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
          for (int i = 0; i < 40; i++) {
            all.add(
                c.post("/v1/models/m/denoise?width=256&height=256")
                    .putHeader("Content-Type", "application/x-gray8")
                    .sendBuffer(Buffer.buffer(body)));
          }
          return Future.join(all)
              .map(
                  done -> {
                    long ok = all.stream().filter(f -> f.result().statusCode() == 200).count();
                    List<HttpResponse<Buffer>> overloaded =
                        all.stream()
                            .map(Future::result)
                            .filter(r -> r.statusCode() == 503)
                            .toList();
                    assertTrue(ok >= 1, "some requests run");
                    assertFalse(
                        overloaded.isEmpty(),
                        "40 concurrent requests on a queue of 1 must overflow");
                    MultiMap h = overloaded.get(0).headers();
                    assertEquals("1", h.get("Retry-After"));
                    assertEquals(
                        "OVERLOADED", overloaded.get(0).bodyAsJsonObject().getString("code"));
                    assertEquals(
                        40,
                        ok + overloaded.size(),
                        "every request is either served or refused with 503");
                    return null;
                  });
        });
  }

  @Test
  void bearerTokenProtectsTheApiButNotHealth(@TempDir Path dir, VertxTestContext ctx) {
    withService(
        ctx,
        dir,
        new JsonObject().put("auth.token", "s3cret"),
        c -> {
          Future<HttpResponse<Buffer>> health = c.get("/v2/health/ready").send();
          Future<HttpResponse<Buffer>> denied = c.get("/v1/models").send();
          Future<HttpResponse<Buffer>> wrong =
              c.get("/v1/models").putHeader("Authorization", "Bearer wrong").send();
          Future<HttpResponse<Buffer>> v2 = c.get("/v2/models/m").send();
          Future<HttpResponse<Buffer>> ok =
              c.get("/v1/models").putHeader("Authorization", "Bearer s3cret").send();
          return Future.all(health, denied, wrong, v2, ok)
              .map(
                  all -> {
                    assertEquals(200, health.result().statusCode());
                    assertEquals(401, denied.result().statusCode());
                    assertEquals(
                        "UNAUTHORIZED", denied.result().bodyAsJsonObject().getString("code"));
                    assertEquals(401, wrong.result().statusCode());
                    assertEquals(401, v2.result().statusCode());
                    assertEquals(200, ok.result().statusCode());
                    assertEquals(
                        "m",
                        ok.result()
                            .bodyAsJsonObject()
                            .getJsonArray("models")
                            .getJsonObject(0)
                            .getString("name"));
                    return null;
                  });
        });
  }
}
