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
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queue limits and deadlines, made deterministic by starting the batcher with no worker: nothing
 * can run until the test deploys one.
 */
class BatcherLimitsTest {
  @TempDir Path models;
  Vertx vertx;
  ModelRegistry registry;
  ServiceMetrics metrics;
  InferenceClient client;

  @BeforeEach
  void setUp() throws Exception {
    TestModels.write(models, "m", 1, 3);
    vertx = Vertx.vertx();
    LocalCodec.registerAll(vertx);
    metrics = ServiceMetrics.inMemory();
    registry = new ModelRegistry(new ModelLoader(Device.cpu(), 1), metrics, "m");
    registry.loadAll(models);
    ServiceHarness.await(vertx.deployVerticle(new BatcherVerticle(registry, metrics, new BatchPolicy(8, 0, 3, 0))));
    client = new InferenceClient(vertx, registry, 60_000);
  }

  @AfterEach
  void tearDown() throws Exception {
    ServiceHarness.await(vertx.close());
    registry.close();
  }

  private static Frame frame() {
    return new Frame(new float[16], 4, 4);
  }

  @Test
  void aFullQueueRefusesAtOnceAndTheQueuedStillRun() throws Exception {
    List<Future<InferenceResult>> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      queued.add(client.infer(frame(), "m"));
    }
    Future<InferenceResult> refused = client.infer(frame(), "m");
    DenoiserException e = failure(refused);
    assertEquals(ErrorCode.OVERLOADED, e.code());
    assertTrue(queued.stream().noneMatch(Future::isComplete), "queued requests wait for a worker");

    ServiceHarness.await(vertx.deployVerticle(new InferenceVerticle(registry),
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    ServiceHarness.await(Future.all(queued));
    assertEquals(1.0, metrics.model("m").execCount.count(), "the three queued frames ran as one batch");
  }

  @Test
  void anExpiredRequestFailsAndNeverRuns() throws Exception {
    Future<InferenceResult> f = client.infer(frame(), "m", 50);
    DenoiserException e = failure(f);
    assertEquals(ErrorCode.DEADLINE_EXCEEDED, e.code());

    ServiceHarness.await(vertx.deployVerticle(new InferenceVerticle(registry),
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
    ServiceHarness.await(client.infer(frame(), "m"));
    assertEquals(1.0, metrics.model("m").inferenceCount.count(), "only the live request ran");
  }

  private static DenoiserException failure(Future<?> f) throws Exception {
    try {
      ServiceHarness.await(f);
    } catch (java.util.concurrent.ExecutionException e) {
      return assertInstanceOf(DenoiserException.class, e.getCause());
    }
    throw new AssertionError("expected a failure");
  }
}
