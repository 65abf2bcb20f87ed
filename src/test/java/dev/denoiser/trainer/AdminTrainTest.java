package dev.denoiser.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.model.ModelCard;
import dev.denoiser.model.TrainConfig;
import dev.denoiser.testing.ServiceHarness;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve --with-trainer without Kafka, on the shipped conv-upsample: admin-triggered runs with real
 * DJL training on real MNIST (small budgets), the gate, promotion into models.dir and the swap. The
 * service comes and goes through the test context; the admin calls block on the test thread.
 */
@ExtendWith(VertxExtension.class)
@io.vertx.junit5.Timeout(value = 60, timeUnit = java.util.concurrent.TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("slow")
class AdminTrainTest {
  static final String MODEL = "conv-upsample";
  static final String TOKEN = "s3cret";
  @TempDir static Path tmp;
  Path models;
  ServiceHarness svc;
  AdminClient admin;

  @BeforeAll
  void start(VertxTestContext ctx) throws Exception {
    models = tmp.resolve("models");
    copyShipped(models, MODEL);
    ServiceHarness.deploy(
            models,
            new JsonObject()
                .put(Setting.TRAINER_ENABLED.key(), true)
                .put(Setting.AUTH_TOKEN.key(), TOKEN)
                .put(Setting.MODELS_DEFAULT.key(), MODEL)
                .put(Setting.TRAINER_THREADS.key(), 1)
                .put(Setting.TRAINER_LIMIT.key(), 256)
                .put(Setting.TRAINER_GATE_HOLDOUT_IMAGES.key(), 200)
                // a 2-step fine-tune moves PSNR by hundredths of a dB either way; the test is about
                // the mechanism
                .put(Setting.TRAINER_GATE_TOLERANCE.key(), 0.5)
                .put(Setting.TRAINER_DATA_DIR.key(), tmp.resolve("data").toString()))
        .onComplete(
            ctx.succeeding(
                h -> {
                  svc = h;
                  admin = new AdminClient(svc.port(), TOKEN);
                  ctx.completeNow();
                }));
  }

  static void copyShipped(Path models, String name) throws Exception {
    Path dir = Files.createDirectories(models.resolve(name));
    for (String f : new String[] {ModelCard.MODEL_FILE, ModelCard.FILE}) {
      Files.copy(Path.of("models", name, f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @AfterAll
  void stop(VertxTestContext ctx) {
    svc.stop().onComplete(ctx.succeedingThenComplete());
  }

  long servingVersion() {
    return svc.svc().registry().card(MODEL).version();
  }

  @Test
  void adminCallNeedsTheTokenAndRefusesBadInputWithTypedErrors() throws Exception {
    HttpResponse<String> r = admin.post("/v1/admin/models/" + MODEL + "/train", "{}", false);
    assertEquals(401, r.statusCode());
    assertEquals("UNAUTHORIZED", new JsonObject(r.body()).getString("code"));
    assertEquals(401, admin.get("/v1/admin/runs", false).statusCode());
    expect(
        admin.post("/v1/admin/models/" + MODEL + "/train", "{not json", true), 400, "BAD_REQUEST");
    expect(
        admin.post("/v1/admin/models/" + MODEL + "/train", "{\"epochs\":\"many\"}", true),
        400,
        "BAD_REQUEST");
    expect(
        admin.post("/v1/admin/models/" + MODEL + "/train", "{\"noise\":\"loud\"}", true),
        400,
        "BAD_REQUEST");
    expect(admin.post("/v1/admin/models/nope/train", "{}", true), 404, "MODEL_NOT_FOUND");
    expect(admin.post("/v1/admin/models/..%2F..%2Fetc/train", "{}", true), 400, "BAD_REQUEST");
    expect(admin.get("/v1/admin/runs/no-such-run", true), 404, "RUN_NOT_FOUND");
    assertTrue(svc.svc().ready(), "bad calls change nothing");
  }

  private static void expect(HttpResponse<String> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(code, new JsonObject(r.body()).getString("code"), r.body());
  }

  @Test
  void anAdminTriggeredRunTrainsPassesTheGateAndIsServed() throws Exception {
    long before = servingVersion();
    HttpResponse<String> r =
        admin.post(
            "/v1/admin/models/" + MODEL + "/train",
            "{\"limit\":256,\"epochs\":1,\"learningRate\":0.0002}",
            true);
    assertEquals(202, r.statusCode(), r.body());
    JsonObject queued = new JsonObject(r.body());
    String id = queued.getString("id");
    assertEquals("/v1/admin/runs/" + id, r.headers().firstValue("Location").orElse(""));
    assertEquals("admin", queued.getString("trigger"));

    JsonObject run = admin.awaitRun(id);
    assertEquals("promoted", run.getString("state"), run.encodePrettily());
    JsonObject progress = run.getJsonObject("progress");
    assertEquals(1, progress.getInteger("epoch"));
    assertEquals(2, progress.getInteger("steps"), "256 images in batches of 128");
    assertEquals(2, progress.getInteger("step"));
    assertTrue(progress.getDouble("imagesPerSecond") > 0);
    assertTrue(
        progress.getDouble("loss") < 0, "the serving model's PSNR loss, in minus dB: " + progress);
    JsonObject result = run.getJsonObject("result");
    long version = result.getLong("version");
    assertTrue(version > before);
    JsonObject gate = result.getJsonObject("gate");
    assertEquals("promote", gate.getString("decision"));
    assertEquals(0.5, gate.getDouble("tolerance"));
    assertTrue(
        gate.getJsonObject("candidate").getDouble("psnr")
            >= gate.getJsonObject("serving").getDouble("psnr") - 0.5);
    assertEquals(200, gate.getJsonObject("holdout").getInteger("images"));
    assertEquals("gaussian:0.05..0.6", gate.getString("noise"), "the serving card's noise");

    assertEquals(version, servingVersion(), "promoted without Kafka: swapped in at once");
    ModelCard stored = ModelCard.read(models.resolve(MODEL).resolve(ModelCard.FILE));
    assertEquals(version, stored.version());
    assertEquals("promote", stored.json().getJsonObject("gate").getString("decision"));
    assertEquals(
        TrainConfig.Loss.PSNR.description(),
        stored.json().getJsonObject("training").getString("loss"),
        "refresh keeps the objective");
    assertEquals(id, stored.json().getJsonObject("gate").getString("runId"));
    assertTrue(
        Files.isRegularFile(
            models.resolve(MODEL).resolve("candidates/v" + version).resolve(ModelCard.MODEL_FILE)));
    assertEquals(Long.toString(version), denoiseVersionHeader());
    assertTrue(admin.get("/v1/admin/runs", true).body().contains(id));
  }

  @Test
  void aCandidateWorseThanServingIsRejectedKeptAndNeverServed() throws Exception {
    long before = servingVersion();
    String servingCard = Files.readString(models.resolve(MODEL).resolve(ModelCard.FILE));
    HttpResponse<String> r =
        admin.post(
            "/v1/admin/models/" + MODEL + "/train", "{\"fromScratch\":true,\"epochs\":0}", true);
    assertEquals(202, r.statusCode(), r.body());
    JsonObject run = admin.awaitRun(new JsonObject(r.body()).getString("id"));
    assertEquals("rejected", run.getString("state"), run.encodePrettily());
    JsonObject gate = run.getJsonObject("result").getJsonObject("gate");
    assertEquals("reject", gate.getString("decision"));
    assertTrue(
        gate.getJsonObject("candidate").getDouble("psnr")
            < gate.getJsonObject("serving").getDouble("psnr") - 1);

    long version = run.getJsonObject("result").getLong("version");
    Path kept = models.resolve(MODEL).resolve("candidates/v" + version);
    ModelCard card = ModelCard.read(kept.resolve(ModelCard.FILE));
    assertEquals("reject", card.json().getJsonObject("gate").getString("decision"));
    assertEquals(before, card.json().getJsonObject("gate").getLong("servingVersion"));
    assertEquals("scratch", card.json().getJsonObject("training").getString("initFrom"));
    assertTrue(Files.isRegularFile(kept.resolve(ModelCard.MODEL_FILE)), "kept for inspection");

    assertEquals(before, servingVersion(), "never served");
    assertEquals(servingCard, Files.readString(models.resolve(MODEL).resolve(ModelCard.FILE)));
    assertEquals(Long.toString(before), denoiseVersionHeader());
    assertFalse(svc.svc().registry().cards().containsKey("v" + version));
  }

  private String denoiseVersionHeader() throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create(admin.base + "/v1/models/" + MODEL + "/denoise?width=28&height=28"))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/x-gray8")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[28 * 28]))
            .build();
    HttpResponse<byte[]> resp = admin.http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, resp.statusCode());
    return resp.headers().firstValue("X-Model-Version").orElse("");
  }
}
