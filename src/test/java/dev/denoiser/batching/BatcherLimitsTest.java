package dev.denoiser.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.Frame;
import dev.denoiser.inference.InferenceResult;
import dev.denoiser.inference.InferenceVerticle;
import dev.denoiser.inference.LocalCodec;
import dev.denoiser.inference.ModelLoader;
import dev.denoiser.inference.ModelRegistry;
import dev.denoiser.metrics.ServiceMetrics;
import dev.denoiser.testing.TestModels;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queue limits and deadlines, made deterministic by starting the batcher with no worker: nothing
 * can run until the test deploys one.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class BatcherLimitsTest {
  @TempDir Path models;
  ModelRegistry registry;
  ServiceMetrics metrics;
  InferenceClient client;

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext ctx) throws Exception {
    TestModels.write(models, "m", 1, 3);
    LocalCodec.registerAll(vertx);
    metrics = ServiceMetrics.inMemory();
    registry = new ModelRegistry(new ModelLoader(Device.cpu(), 1), metrics, "m");
    registry.loadAll(models);
    client = new InferenceClient(vertx, registry, 60_000);
    vertx
        .deployVerticle(new BatcherVerticle(registry, metrics, new BatchPolicy(8, 0, 3, 0)))
        .onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  private static Frame frame() {
    return new Frame(new float[16], 4, 4);
  }

  private static Future<String> deployWorker(Vertx vertx, ModelRegistry registry) {
    return vertx.deployVerticle(
        new InferenceVerticle(registry),
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER));
  }

  @Test
  void aFullQueueRefusesAtOnceAndTheQueuedStillRun(Vertx vertx, VertxTestContext ctx) {
    List<Future<InferenceResult>> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      queued.add(client.infer(frame(), "m"));
    }
    Checkpoint refused = ctx.checkpoint();
    Checkpoint ran = ctx.checkpoint();
    client
        .infer(frame(), "m")
        .onComplete(
            ctx.failing(
                t ->
                    ctx.verify(
                        () -> {
                          assertEquals(
                              ErrorCode.OVERLOADED,
                              assertInstanceOf(DenoiserException.class, t).code());
                          assertTrue(
                              queued.stream().noneMatch(Future::isComplete),
                              "queued requests wait for a worker");
                          refused.flag();
                          deployWorker(vertx, registry)
                              .compose(id -> Future.all(queued))
                              .onComplete(
                                  ctx.succeeding(
                                      all ->
                                          ctx.verify(
                                              () -> {
                                                assertEquals(
                                                    1.0,
                                                    metrics.model("m").execCount.count(),
                                                    "the three queued frames ran as one batch");
                                                ran.flag();
                                              })));
                        })));
  }

  @Test
  void anExpiredRequestFailsAndNeverRuns(Vertx vertx, VertxTestContext ctx) {
    client
        .infer(frame(), "m", 50)
        .onComplete(
            ctx.failing(
                t ->
                    ctx.verify(
                        () -> {
                          assertEquals(
                              ErrorCode.DEADLINE_EXCEEDED,
                              assertInstanceOf(DenoiserException.class, t).code());
                          deployWorker(vertx, registry)
                              .compose(id -> client.infer(frame(), "m"))
                              .onComplete(
                                  ctx.succeeding(
                                      r ->
                                          ctx.verify(
                                              () -> {
                                                assertEquals(
                                                    1.0,
                                                    metrics.model("m").inferenceCount.count(),
                                                    "only the live request ran");
                                                ctx.completeNow();
                                              })));
                        })));
  }
}
