package dev.denoiser.trainer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.model.ModelCard;
import dev.denoiser.testing.ServiceHarness;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-supervised runs end to end, in the embedded layout (trainer in the serving process, no
 * Kafka): the shipped natural-gray model serves noisy frames (sigma 75, 8-bit clipped) over HTTP,
 * the feed sample keeps them, and {@code POST /v1/admin/models/natural-gray/train} with {@code
 * {"mode":"self-supervised"}} fine-tunes on them with a tiny budget. A run that wrecks the model
 * (learning rate 0.5) is rejected by the gate and never served; a sane run records its mode, sigma
 * estimate and gate numbers in the candidate's card and is served exactly when the gate promotes
 * it.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SelfSupervisedRunTest {
  static final String MODEL = "natural-gray";
  static final int SIDE = 128;
  static final double SIGMA = 75;
  @TempDir static Path models;
  static ServiceHarness svc;
  static AdminClient admin;

  @BeforeAll
  static void start() throws Exception {
    Path src = Path.of("models", MODEL);
    Files.createDirectories(models.resolve(MODEL));
    for (String f : new String[] {ModelCard.MODEL_FILE, ModelCard.FILE}) {
      Files.copy(src.resolve(f), models.resolve(MODEL).resolve(f));
    }
    svc =
        ServiceHarness.start(
            models,
            new JsonObject()
                .put(Setting.TRAINER_ENABLED.key(), true)
                .put(Setting.AUTH_TOKEN.key(), "t0ken")
                .put(Setting.MODELS_DEFAULT.key(), MODEL)
                .put(Setting.MODELS_WATCH_MS.key(), 0)
                .put(Setting.TRAINER_THREADS.key(), 1)
                .put(Setting.FEED_SAMPLE_MODELS.key(), MODEL)
                .put(Setting.TRAINER_SELFSUP_STEPS.key(), 30)
                .put(Setting.TRAINER_SELFSUP_BATCH_SIZE.key(), 4)
                .put(Setting.TRAINER_MIN_BATCH_SIZE.key(), 1)
                .put(Setting.TRAINER_SELFSUP_MIN_GAIN_DB.key(), 0.0));
    admin = new AdminClient(svc.port(), "t0ken");
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r =
          admin.http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          admin.base
                              + "/v1/models/"
                              + MODEL
                              + "/denoise?width="
                              + SIDE
                              + "&height="
                              + SIDE))
                  .header("Authorization", "Bearer t0ken")
                  .header("Content-Type", "application/x-gray8")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(noisy(i)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
    }
    assertEquals(20, svc.service.feedSample().frames(MODEL));
  }

  @AfterAll
  static void stop() throws Exception {
    if (svc != null) {
      svc.close();
    }
  }

  /** A scene of soft shapes and edges with 8-bit clipped Gaussian noise of {@link #SIGMA}. */
  static byte[] noisy(long seed) {
    Random rnd = new Random(seed);
    double cx = 30 + rnd.nextInt(68);
    double cy = 30 + rnd.nextInt(68);
    byte[] b = new byte[SIDE * SIDE];
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        double clean =
            70
                + 80.0 * x / SIDE
                + ((x - cx) * (x - cx) + (y - cy) * (y - cy) < 400 ? 60 : 0)
                + (y > 90 ? -40 : 0);
        b[y * SIDE + x] =
            (byte) Math.max(0, Math.min(255, Math.round(clean + rnd.nextGaussian() * SIGMA)));
      }
    }
    return b;
  }

  static JsonObject train(String body) throws Exception {
    HttpResponse<String> r = admin.post("/v1/admin/models/" + MODEL + "/train", body, true);
    assertEquals(202, r.statusCode(), r.body());
    JsonObject run = admin.awaitRun(new JsonObject(r.body()).getString("id"));
    assertTrue(run.getString("state").matches("promoted|rejected"), run.encodePrettily());
    return run;
  }

  static long serving() {
    return svc.svc().registry().cards().get(MODEL).version();
  }

  @Test
  @Order(1)
  void aRunThatMakesThingsWorseIsRejectedAndNeverServed() throws Exception {
    long before = serving();
    JsonObject run = train("{\"mode\":\"self-supervised\",\"steps\":15,\"learningRate\":0.5}");
    JsonObject result = run.getJsonObject("result");
    assertEquals("rejected", run.getString("state"), result.encodePrettily());
    JsonObject gate = result.getJsonObject("gate");
    assertTrue(
        gate.getDouble("candidatePsnrEstimate") < gate.getDouble("servingPsnrEstimate"),
        gate.encode());
    assertFalse(gate.getBoolean("promote"));
    ModelCard card =
        ModelCard.read(Path.of(result.getString("candidateDir")).resolve(ModelCard.FILE));
    assertEquals("self-supervised", card.json().getJsonObject("training").getString("mode"));
    assertEquals(before, serving(), "a rejected candidate is not served");
  }

  @Test
  @Order(2)
  void aSelfSupervisedRunRecordsItsModeSigmaAndGateAndIsServedOnlyIfPromoted() throws Exception {
    long before = serving();
    JsonObject run = train("{\"mode\":\"self-supervised\"}");
    JsonObject result = run.getJsonObject("result");
    assertEquals("self-supervised", run.getJsonObject("params").getString("mode"));
    assertEquals(
        30,
        run.getJsonObject("params").getInteger("steps"),
        "trainer.selfsup.steps is the default");
    assertEquals(SIGMA, result.getDouble("sigmaEstimate"), 12, result.encodePrettily());
    ModelCard card =
        ModelCard.read(Path.of(result.getString("candidateDir")).resolve(ModelCard.FILE));
    JsonObject training = card.json().getJsonObject("training");
    assertEquals("self-supervised", training.getString("mode"));
    assertEquals(16, training.getInteger("trainFrames"));
    assertEquals(4, training.getInteger("gateFrames"));
    JsonObject gate = card.json().getJsonObject("gate");
    assertTrue(
        Double.isFinite(gate.getDouble("servingPsnrEstimate"))
            && gate.getDouble("servingPsnrEstimate") > 10,
        gate.encode());
    boolean promoted = run.getString("state").equals("promoted");
    assertEquals(promoted, gate.getBoolean("promote"));
    assertEquals(
        promoted, gate.getDouble("candidatePsnrEstimate") > gate.getDouble("servingPsnrEstimate"));
    long version = result.getLong("version");
    if (promoted) {
      await().atMost(Duration.ofSeconds(30)).until(() -> serving() == version);
    } else {
      assertEquals(before, serving());
    }
  }

  @Test
  @Order(3)
  void aModelNotInTheSampleCannotRunSelfSupervised() throws Exception {
    Path other = models.resolve("other");
    Files.createDirectories(other);
    Files.copy(models.resolve(MODEL).resolve(ModelCard.FILE), other.resolve(ModelCard.FILE));
    HttpResponse<String> r =
        admin.post("/v1/admin/models/other/train", "{\"mode\":\"self-supervised\"}", true);
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(r.body().contains("feed.sample.models"), r.body());
    HttpResponse<String> bad =
        admin.post("/v1/admin/models/" + MODEL + "/train", "{\"mode\":\"magic\"}", true);
    assertEquals(400, bad.statusCode(), bad.body());
  }
}
