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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API and the KServe v2 subset over real HTTP. */
class HttpApiTest {
  @TempDir static Path models;
  static ServiceHarness svc;
  static WebClient http;
  static byte[] dynOnnx;

  @BeforeAll
  static void start() throws Exception {
    TestModels.write(models, "dyn", 3, 21);
    TestModels.write(models, "fixed", 1, 22, 28, 28, 4);
    dynOnnx = Files.readAllBytes(models.resolve("dyn").resolve(ModelCard.MODEL_FILE));
    svc = ServiceHarness.start(models, new JsonObject().put("models.default", "dyn")
        .put("http.maxBodyBytes", 1 << 20).put("frame.maxPixels", 512 * 512));
    http = WebClient.create(svc.vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(svc.port()));
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    svc.close();
  }

  static HttpResponse<Buffer> post(String path, String contentType, byte[] body, String... headers) throws Exception {
    var req = http.post(path).putHeader("Content-Type", contentType);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      req.putHeader(headers[i], headers[i + 1]);
    }
    return ServiceHarness.await(req.sendBuffer(Buffer.buffer(body)));
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
  void pngInPngOutWithVersionAndTimingHeaders() throws Exception {
    Frame f = digitLike(28, 28, 1);
    HttpResponse<Buffer> resp = post("/v1/models/dyn/denoise", "image/png", FrameCodec.encode(f, MediaType.PNG),
        "X-Frame-Id", "frame-7");
    assertEquals(200, resp.statusCode(), resp.bodyAsString());
    assertEquals("image/png", resp.getHeader("Content-Type"));
    assertEquals("3", resp.getHeader("X-Model-Version"));
    assertEquals("frame-7", resp.getHeader("X-Frame-Id"));
    assertNotNull(resp.getHeader("X-Compute-Micros"));
    assertTrue(resp.getHeader("Server-Timing").contains("compute;dur="));
    Frame out = new FrameCodec(1 << 20).decode(MediaType.PNG, resp.body().getBytes(), null, null, null, null);
    float[] want = TestModels.reference(dynOnnx, f.pixels(), 28, 28);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], out.pixels()[i], 0.51 / 255, "pixel " + i);
    }
  }

  @Test
  void rawGray8InFloat32OutWhenAcceptAsks() throws Exception {
    Frame f = digitLike(16, 20, 2);
    HttpResponse<Buffer> resp = post("/v1/models/dyn/denoise?width=20&height=16", "application/x-gray8",
        FrameCodec.toGray8(f.pixels()), "Accept", "application/x-float32");
    assertEquals(200, resp.statusCode(), resp.bodyAsString());
    assertEquals("application/x-float32", resp.getHeader("Content-Type"));
    assertEquals("20", resp.getHeader("X-Width"));
    float[] got = new float[16 * 20];
    ByteBuffer.wrap(resp.body().getBytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
    float[] want = TestModels.reference(dynOnnx, f.pixels(), 16, 20);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-5);
    }
  }

  @Test
  void encodeReturnsTheLatentAsJson() throws Exception {
    Frame f = digitLike(28, 28, 3);
    HttpResponse<Buffer> resp = post("/v1/models/fixed/encode", "application/x-float32",
        FrameCodec.toFloat32(f.pixels()), "X-Width", "28", "X-Height", "28");
    assertEquals(200, resp.statusCode(), resp.bodyAsString());
    JsonObject j = resp.bodyAsJsonObject();
    assertEquals(4, j.getInteger("latentDim"));
    assertEquals(4, j.getJsonArray("latent").size());
    assertEquals("fixed", j.getString("model"));
  }

  @Test
  void badInputGetsTypedJsonErrors() throws Exception {
    byte[] png = FrameCodec.encode(digitLike(28, 28, 4), MediaType.PNG);
    byte[] truncated = java.util.Arrays.copyOf(png, 40);
    expectError(post("/v1/models/dyn/denoise", "image/png", truncated), 400, "INVALID_FRAME");
    expectError(post("/v1/models/dyn/denoise", "image/png", "hello".getBytes()), 400, "INVALID_FRAME");
    expectError(post("/v1/models/dyn/denoise?width=4&height=4", "application/x-gray8", new byte[15]), 400, "INVALID_FRAME");
    expectError(post("/v1/models/dyn/denoise?width=0&height=4", "application/x-gray8", new byte[0]), 400, "INVALID_FRAME");
    expectError(post("/v1/models/dyn/denoise", "image/gif", png), 415, "UNSUPPORTED_MEDIA_TYPE");
    float[] nan = new float[16];
    nan[5] = Float.NaN;
    expectError(post("/v1/models/dyn/denoise?width=4&height=4", "application/x-float32", FrameCodec.toFloat32(nan)),
        400, "INVALID_FRAME");
    expectError(post("/v1/models/nope/denoise", "image/png", png), 404, "MODEL_NOT_FOUND");
    expectError(post("/v1/models/fixed/denoise?width=30&height=30", "application/x-gray8", new byte[900]),
        400, "UNSUPPORTED_SHAPE");
    expectError(post("/v1/models/dyn/denoise?width=1024&height=1024", "application/x-gray8", new byte[1024 * 1024]),
        413, "PAYLOAD_TOO_LARGE");
    byte[] huge = png.clone();
    ByteBuffer.wrap(huge, 16, 8).putInt(5000).putInt(5000);
    expectError(post("/v1/models/dyn/denoise", "image/png", huge), 413, "PAYLOAD_TOO_LARGE");
    expectError(post("/v2/models/dyn/infer", "application/json", "{not json".getBytes()), 400, "BAD_REQUEST");
    // the service still works after all that
    assertEquals(200, post("/v1/models/dyn/denoise", "image/png", png).statusCode());
  }

  static void expectError(HttpResponse<Buffer> resp, int status, String code) {
    assertEquals(status, resp.statusCode(), resp.bodyAsString());
    JsonObject j = resp.bodyAsJsonObject();
    assertEquals(code, j.getString("code"), j.encode());
    assertFalse(j.getString("message").contains("\n\tat "), "no stack traces");
  }

  @Test
  void kserveV2HealthMetadataAndInfer() throws Exception {
    assertEquals(200, ServiceHarness.await(http.get("/v2/health/live").send()).statusCode());
    assertEquals(200, ServiceHarness.await(http.get("/v2/health/ready").send()).statusCode());
    assertEquals(200, ServiceHarness.await(http.get("/v2/models/fixed/ready").send()).statusCode());
    assertEquals(404, ServiceHarness.await(http.get("/v2/models/nope/ready").send()).statusCode());
    JsonObject meta = ServiceHarness.await(http.get("/v2/models/fixed").send()).bodyAsJsonObject();
    assertEquals("noisy", meta.getJsonArray("inputs").getJsonObject(0).getString("name"));
    assertEquals(new JsonArray().add(-1).add(1).add(28).add(28), meta.getJsonArray("inputs").getJsonObject(0).getJsonArray("shape"));
    assertEquals(new JsonArray().add("1"), meta.getJsonArray("versions"));

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
    JsonObject req = new JsonObject().put("id", "r1").put("inputs", new JsonArray().add(new JsonObject()
        .put("name", "noisy").put("datatype", "FP32").put("shape", new JsonArray().add(n).add(1).add(8).add(8))
        .put("data", data)));
    HttpResponse<Buffer> resp = ServiceHarness.await(http.post("/v2/models/dyn/infer").sendJsonObject(req));
    assertEquals(200, resp.statusCode(), resp.bodyAsString());
    JsonObject body = resp.bodyAsJsonObject();
    assertEquals("r1", body.getString("id"));
    assertEquals("3", body.getString("model_version"));
    JsonObject den = body.getJsonArray("outputs").getJsonObject(0);
    assertEquals("denoised", den.getString("name"));
    assertEquals(new JsonArray().add(n).add(1).add(8).add(8), den.getJsonArray("shape"));
    for (int i = 0; i < n; i++) {
      float[] want = TestModels.reference(dynOnnx, frames.get(i).pixels(), 8, 8);
      for (int p = 0; p < 64; p++) {
        assertEquals(want[p], den.getJsonArray("data").getFloat(i * 64 + p), 1e-5);
      }
    }
    JsonObject lat = body.getJsonArray("outputs").getJsonObject(1);
    assertEquals(new JsonArray().add(n).add(4), lat.getJsonArray("shape"));
  }

  @Test
  void metricsUseTritonNames() throws Exception {
    post("/v1/models/dyn/denoise", "image/png", FrameCodec.encode(digitLike(28, 28, 5), MediaType.PNG));
    String text = ServiceHarness.await(http.get("/metrics").send()).bodyAsString();
    assertTrue(text.contains("nv_inference_request_success_total{model=\"dyn\"}"), text);
    assertTrue(text.contains("nv_inference_compute_infer_duration_us_total{model=\"dyn\"}"));
    assertTrue(text.contains("denoiser_batch_size_bucket{model=\"dyn\""));
    assertTrue(text.contains("nv_inference_pending_request_count{model=\"dyn\"}"));
    assertTrue(text.contains("denoiser_model_version{model=\"dyn\"} 3.0"));
  }

  @Test
  void aFullQueueAnswers503WithRetryAfter(@TempDir Path dir) throws Exception {
    TestModels.write(dir, "m", 1, 1);
    try (ServiceHarness small = ServiceHarness.start(dir, new JsonObject()
        .put("batching.queueSize", 1).put("batching.maxBatchSize", 1))) {
      WebClient c = WebClient.create(small.vertx, new WebClientOptions().setDefaultPort(small.port()).setDefaultHost("127.0.0.1"));
      byte[] body = new byte[256 * 256];
      List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        all.add(c.post("/v1/models/m/denoise?width=256&height=256").putHeader("Content-Type", "application/x-gray8")
            .sendBuffer(Buffer.buffer(body)));
      }
      ServiceHarness.await(Future.join(all));
      long ok = all.stream().filter(f -> f.result().statusCode() == 200).count();
      List<HttpResponse<Buffer>> overloaded = all.stream().map(Future::result).filter(r -> r.statusCode() == 503).toList();
      assertTrue(ok >= 1, "some requests run");
      assertFalse(overloaded.isEmpty(), "40 concurrent requests on a queue of 1 must overflow");
      MultiMap h = overloaded.get(0).headers();
      assertEquals("1", h.get("Retry-After"));
      assertEquals("OVERLOADED", overloaded.get(0).bodyAsJsonObject().getString("code"));
      assertEquals(40, ok + overloaded.size(), "every request is either served or refused with 503");
      c.close();
    }
  }

  @Test
  void bearerTokenProtectsTheApiButNotHealth(@TempDir Path dir) throws Exception {
    TestModels.write(dir, "m", 1, 1);
    try (ServiceHarness secured = ServiceHarness.start(dir, new JsonObject().put("auth.token", "s3cret"))) {
      WebClient c = WebClient.create(secured.vertx, new WebClientOptions().setDefaultPort(secured.port()).setDefaultHost("127.0.0.1"));
      assertEquals(200, ServiceHarness.await(c.get("/v2/health/ready").send()).statusCode());
      HttpResponse<Buffer> denied = ServiceHarness.await(c.get("/v1/models").send());
      assertEquals(401, denied.statusCode());
      assertEquals("UNAUTHORIZED", denied.bodyAsJsonObject().getString("code"));
      assertEquals(401, ServiceHarness.await(c.get("/v1/models").putHeader("Authorization", "Bearer wrong").send()).statusCode());
      assertEquals(401, ServiceHarness.await(c.get("/v2/models/m").send()).statusCode());
      HttpResponse<Buffer> ok = ServiceHarness.await(c.get("/v1/models").putHeader("Authorization", "Bearer s3cret").send());
      assertEquals(200, ok.statusCode());
      assertEquals("m", ok.bodyAsJsonObject().getJsonArray("models").getJsonObject(0).getString("name"));
      c.close();
    }
  }
}
