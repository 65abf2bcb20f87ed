package dev.denoiser.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.hotswap.ModelsTopicSwapTest;
import dev.denoiser.metrics.Metered;
import dev.denoiser.model.ModelCard;
import dev.denoiser.service.TrainerServiceVerticle;
import dev.denoiser.testing.ServiceHarness;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer command's main verticle on its own (no Kafka): health and admin API on its small HTTP
 * server, a run promoted into the shared models directory, and a serving replica watching that
 * directory swapping to it. Deployments are futures of the test context; the admin calls and the
 * polls block, so they run as blocking code of the trainer's Vert.x.
 */
@ExtendWith(VertxExtension.class)
@io.vertx.junit5.Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
@Tag("slow")
class TrainerServiceTest {
  @TempDir Path tmp;

  /**
   * Deploys {@code trainer} on its own metered Vert.x (and waits for {@code replica}, when there is
   * one), runs {@code checks} as blocking code, then drains and closes both, whatever the checks
   * found.
   */
  static void run(
      VertxTestContext ctx,
      Metered metered,
      TrainerServiceVerticle trainer,
      Future<ServiceHarness> replica,
      Callable<Void> checks) {
    Future<?> alongside = replica == null ? Future.succeededFuture() : replica;
    Future.all(metered.vertx().deployVerticle(trainer), alongside)
        .compose(deployed -> metered.vertx().executeBlocking(checks))
        .eventually(() -> trainer.drain().compose(v -> metered.vertx().close()))
        .eventually(
            () ->
                replica != null && replica.succeeded()
                    ? replica.result().stop()
                    : Future.succeededFuture())
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theTrainerAlonePromotesIntoModelsDirAndAWatchingReplicaSwaps(VertxTestContext ctx)
      throws Exception {
    Path models = tmp.resolve("models");
    AdminTrainTest.copyShipped(models, AdminTrainTest.MODEL);
    Future<ServiceHarness> replica =
        ServiceHarness.deploy(
            models,
            new JsonObject()
                .put(Setting.MODELS_WATCH_MS.key(), 200)
                .put(Setting.MODELS_DEFAULT.key(), AdminTrainTest.MODEL));
    Metered metered = Metered.create();
    TrainerServiceVerticle trainer =
        new TrainerServiceVerticle(
            Settings.of(
                new JsonObject()
                    .put(Setting.HTTP_PORT.key(), 0)
                    .put(Setting.HTTP_HOST.key(), "127.0.0.1")
                    .put(Setting.MODELS_DIR.key(), models.toString())
                    .put(Setting.AUTH_TOKEN.key(), "t")
                    .put(Setting.TRAINER_THREADS.key(), 1)
                    .put(Setting.TRAINER_GATE_HOLDOUT_IMAGES.key(), 200)
                    .put(Setting.TRAINER_GATE_TOLERANCE.key(), 0.5)),
            metered.serviceMetrics());
    run(
        ctx,
        metered,
        trainer,
        replica,
        () -> {
          AdminClient admin = new AdminClient(trainer.httpPort(), "t");
          assertEquals(200, admin.get("/v2/health/ready", false).statusCode());
          assertEquals(
              401, admin.post("/v1/admin/models/conv-upsample/train", "", false).statusCode());
          HttpResponse<String> r =
              admin.post("/v1/admin/models/conv-upsample/train", "{\"limit\":128}", true);
          assertEquals(202, r.statusCode(), r.body());
          JsonObject run = admin.awaitRun(new JsonObject(r.body()).getString("id"));
          assertEquals("promoted", run.getString("state"), run.encodePrettily());
          long version = run.getJsonObject("result").getLong("version");
          assertEquals(
              version,
              ModelCard.read(models.resolve("conv-upsample").resolve(ModelCard.FILE)).version());
          ModelsTopicSwapTest.await(
              () -> replica.result().svc().registry().card("conv-upsample").version() == version,
              "the replica's watcher swaps in the promoted version");
          assertEquals(
              401, admin.get("/metrics", false).statusCode(), "the token guards /metrics too");
          assertEquals(200, admin.get("/metrics", true).statusCode());
          return null;
        });
  }

  @Test
  void theScheduleQueuesRunsOfTheConfiguredModels(VertxTestContext ctx) throws Exception {
    Path models = tmp.resolve("models");
    AdminTrainTest.copyShipped(models, AdminTrainTest.MODEL);
    Metered metered = Metered.create();
    // epochs 0: the candidate is the serving model itself, so the run costs no training
    TrainerServiceVerticle trainer =
        new TrainerServiceVerticle(
            Settings.of(
                new JsonObject()
                    .put(Setting.HTTP_PORT.key(), 0)
                    .put(Setting.HTTP_HOST.key(), "127.0.0.1")
                    .put(Setting.MODELS_DIR.key(), models.toString())
                    .put(Setting.TRAINER_SCHEDULE.key(), "1s")
                    .put(Setting.AUTH_TOKEN.key(), "t")
                    .put(Setting.TRAINER_MODELS.key(), AdminTrainTest.MODEL)
                    .put(Setting.TRAINER_EPOCHS.key(), 0)
                    .put(Setting.TRAINER_GATE_HOLDOUT_IMAGES.key(), 50)),
            metered.serviceMetrics());
    run(
        ctx,
        metered,
        trainer,
        null,
        () -> {
          RunBook book = trainer.role().triggers().book();
          ModelsTopicSwapTest.await(
              () -> book.list().stream().filter(r -> r.state().done()).count() >= 2,
              "two scheduled runs end");
          for (TrainingRun r : book.list()) {
            assertEquals("schedule", r.trigger());
            assertEquals(AdminTrainTest.MODEL, r.model());
          }
          TrainingRun first = book.list().get(book.list().size() - 1);
          assertEquals(TrainingRun.State.PROMOTED, first.state(), first.toJson().encodePrettily());
          return null;
        });
  }
}
