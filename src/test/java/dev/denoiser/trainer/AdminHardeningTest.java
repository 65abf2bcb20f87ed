package dev.denoiser.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.error.UserError;
import dev.denoiser.metrics.Metered;
import dev.denoiser.service.TrainerServiceVerticle;
import dev.denoiser.testing.ServiceHarness;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API closed: no trainer without a token (unless open on loopback by choice), JSON
 * content type only, runs within a budget, and cancel calls that stop a queued or running run.
 */
@Tag("slow")
class AdminHardeningTest {
  static final String TOKEN = "adm1n";
  @TempDir Path tmp;

  Settings trainerSettings(Path models, JsonObject extra) {
    return Settings.of(
        new JsonObject()
            .put(Setting.HTTP_PORT.key(), 0)
            .put(Setting.HTTP_HOST.key(), "127.0.0.1")
            .put(Setting.MODELS_DIR.key(), models.toString())
            .put(Setting.TRAINER_THREADS.key(), 1)
            .put(Setting.TRAINER_DATA_DIR.key(), tmp.resolve("data").toString())
            .mergeIn(extra));
  }

  @Test
  void theTrainerNeedsATokenOrAnOpenAdminOnLoopbackOnly() throws Exception {
    Path models = tmp.resolve("models");
    AdminTrainTest.copyShipped(models, AdminTrainTest.MODEL);
    Metered metered = Metered.create();
    try {
      ExecutionException noToken =
          assertThrows(
              ExecutionException.class,
              () ->
                  ServiceHarness.await(
                      metered
                          .vertx()
                          .deployVerticle(
                              new TrainerServiceVerticle(
                                  trainerSettings(models, new JsonObject()),
                                  metered.serviceMetrics()))));
      assertTrue(
          noToken.getCause() instanceof UserError
              && noToken.getCause().getMessage().contains("auth.token"),
          String.valueOf(noToken.getCause()));
      ExecutionException wide =
          assertThrows(
              ExecutionException.class,
              () ->
                  ServiceHarness.await(
                      metered
                          .vertx()
                          .deployVerticle(
                              new TrainerServiceVerticle(
                                  trainerSettings(
                                      models,
                                      new JsonObject()
                                          .put(Setting.TRAINER_ALLOW_OPEN_ADMIN.key(), true)
                                          .put(Setting.HTTP_HOST.key(), "0.0.0.0")),
                                  metered.serviceMetrics()))));
      assertTrue(wide.getCause().getMessage().contains("loopback"), wide.getCause().getMessage());
      TrainerServiceVerticle open =
          new TrainerServiceVerticle(
              trainerSettings(
                  models, new JsonObject().put(Setting.TRAINER_ALLOW_OPEN_ADMIN.key(), true)),
              metered.serviceMetrics());
      ServiceHarness.await(metered.vertx().deployVerticle(open));
      AdminClient anyone = new AdminClient(open.httpPort(), "");
      assertEquals(
          200, anyone.get("/v1/admin/runs", false).statusCode(), "open on loopback, by choice");
      ServiceHarness.await(open.drain());
    } finally {
      ServiceHarness.await(metered.vertx().close());
    }
    // serve --with-trainer refuses the same way
    ExecutionException serve =
        assertThrows(
            ExecutionException.class,
            () ->
                ServiceHarness.start(
                        models, new JsonObject().put(Setting.TRAINER_ENABLED.key(), true))
                    .close());
    assertTrue(serve.getCause() instanceof UserError, String.valueOf(serve.getCause()));
  }

  @Test
  void crossSiteContentTypesHugeRunsAndTinyBatchesAreRefusedAndRunsCanBeCancelled()
      throws Exception {
    Path models = tmp.resolve("models");
    AdminTrainTest.copyShipped(models, AdminTrainTest.MODEL);
    try (ServiceHarness svc =
        ServiceHarness.start(
            models,
            new JsonObject()
                .put(Setting.TRAINER_ENABLED.key(), true)
                .put(Setting.AUTH_TOKEN.key(), TOKEN)
                .put(Setting.MODELS_DEFAULT.key(), AdminTrainTest.MODEL)
                .put(Setting.TRAINER_THREADS.key(), 1)
                .put(Setting.TRAINER_DATA_DIR.key(), tmp.resolve("data").toString()))) {
      AdminClient admin = new AdminClient(svc.port(), TOKEN);
      String train = "/v1/admin/models/" + AdminTrainTest.MODEL + "/train";
      for (String type :
          new String[] {
            "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"
          }) {
        HttpResponse<String> r = send(admin, "POST", train, type, "{}");
        assertEquals(415, r.statusCode(), type + ": " + r.body());
        assertEquals("UNSUPPORTED_MEDIA_TYPE", new JsonObject(r.body()).getString("code"));
      }
      HttpResponse<String> huge =
          send(
              admin,
              "POST",
              train,
              "application/json",
              "{\"epochs\":1000,\"limit\":0,\"batchSize\":1}");
      assertEquals(400, huge.statusCode(), huge.body());
      assertEquals("BAD_REQUEST", new JsonObject(huge.body()).getString("code"));
      HttpResponse<String> big =
          send(admin, "POST", train, "application/json", "{\"epochs\":1000,\"limit\":0}");
      assertTrue(
          new JsonObject(big.body()).getString("message").contains("trainer.maxEpochImages"),
          big.body());
      HttpResponse<String> tiny =
          send(admin, "POST", train, "application/json", "{\"batchSize\":1}");
      assertEquals(400, tiny.statusCode());
      assertTrue(
          new JsonObject(tiny.body()).getString("message").contains("trainer.minBatchSize"),
          tiny.body());
      assertTrue(
          admin.get("/v1/admin/runs", true).body().contains("\"runs\" : [ ]"),
          "nothing was queued");

      // a run long enough to cancel mid-way: 5 epochs of 10,000 images in batches of 8
      HttpResponse<String> a =
          send(
              admin,
              "POST",
              train,
              "application/json; charset=utf-8",
              "{\"epochs\":5,\"limit\":10000,\"batchSize\":8}");
      assertEquals(202, a.statusCode(), a.body());
      String runA = new JsonObject(a.body()).getString("id");
      HttpResponse<String> b =
          send(admin, "POST", train, "application/json", "{\"epochs\":1,\"limit\":256}");
      assertEquals(202, b.statusCode(), b.body());
      String runB = new JsonObject(b.body()).getString("id");
      Awaitility.await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                JsonObject run = run(admin, runA);
                return "running".equals(run.getString("state"))
                    && run.getJsonObject("progress").getInteger("step") >= 1;
              });
      HttpResponse<String> cancelQueued =
          send(admin, "DELETE", "/v1/admin/runs/" + runB, null, null);
      assertEquals(200, cancelQueued.statusCode(), cancelQueued.body());
      assertEquals(
          "cancelled",
          new JsonObject(cancelQueued.body()).getString("state"),
          "a queued run ends at once");

      HttpResponse<String> cancelRunning =
          send(admin, "POST", "/v1/admin/runs/" + runA + "/cancel", "application/json", "");
      assertEquals(202, cancelRunning.statusCode(), cancelRunning.body());
      assertTrue(new JsonObject(cancelRunning.body()).getBoolean("cancelRequested"));
      Awaitility.await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> "cancelled".equals(run(admin, runA).getString("state")));
      JsonObject done = run(admin, runA);
      JsonObject progress = done.getJsonObject("progress");
      assertTrue(
          progress.getInteger("epoch") < 5
              || progress.getInteger("step") < progress.getInteger("steps"),
          "stopped mid-way: " + progress.encode());
      assertEquals("cancelled by an admin call", done.getJsonObject("result").getString("reason"));
      assertEquals(
          "cancelled", run(admin, runB).getString("state"), "the queued run never started");
      assertEquals(
          404, send(admin, "DELETE", "/v1/admin/runs/no-such-run", null, null).statusCode());
      assertEquals(
          200,
          send(admin, "DELETE", "/v1/admin/runs/" + runA, null, null).statusCode(),
          "cancelling again changes nothing");
      assertTrue(svc.svc().ready(), "the service stays ready");
    }
  }

  static JsonObject run(AdminClient admin, String id) throws Exception {
    return new JsonObject(admin.get("/v1/admin/runs/" + id, true).body());
  }

  static HttpResponse<String> send(
      AdminClient admin, String method, String path, String type, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(admin.base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + admin.token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    return admin.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
