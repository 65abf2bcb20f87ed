package dev.denoiser.hotswap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.denoiser.frame.Frame;
import dev.denoiser.inference.InferenceResult;
import dev.denoiser.inference.ModelRegistry;
import dev.denoiser.inference.ModelStore;
import dev.denoiser.model.ModelCard;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryWatcherTest {
  @Test
  void newVersionsInTheDirectoryAreSwappedInAndBadOnesRefusedOnce(
      @TempDir Path models, @TempDir Path scratch) throws Exception {
    TestModels.write(models, "m", 1, 1);
    try (ServiceHarness svc =
        ServiceHarness.start(models, new JsonObject().put("models.watchIntervalMillis", 50))) {
      ModelRegistry registry = svc.svc().registry();
      Path v2 = TestModels.write(scratch.resolve("v2"), "m", 2, 2);
      ModelStore.publish(
          models,
          ModelCard.read(v2.resolve(ModelCard.FILE)),
          Files.readAllBytes(v2.resolve(ModelCard.MODEL_FILE)));
      waitForVersion(registry, 2);
      InferenceResult r =
          ServiceHarness.await(svc.svc().client().infer(new Frame(new float[16], 4, 4), "m"));
      assertEquals(2, r.modelVersion());

      // a card whose checksum does not match its model: refused, counted once, v2 keeps serving
      Path v3 = TestModels.write(scratch.resolve("v3"), "m", 3, 3);
      ModelCard bad = ModelCard.read(v3.resolve(ModelCard.FILE)).withSha256("00");
      Files.write(
          models.resolve("m").resolve(ModelCard.MODEL_FILE),
          Files.readAllBytes(v3.resolve(ModelCard.MODEL_FILE)));
      bad.write(models.resolve("m").resolve(ModelCard.FILE));
      // the watcher scans every 50 ms: v2 must go on serving through several scans
      Awaitility.await("v2 keeps serving")
          .during(Duration.ofMillis(400))
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> registry.card("m").version() == 2);
      double refused =
          svc.svc().metrics().registry().find("denoiser_model_load_failures").counters().stream()
              .mapToDouble(Counter::count)
              .sum();
      assertEquals(1.0, refused, "a refused version is not retried on every scan");

      // a new model name appears
      TestModels.write(scratch.resolve("n"), "other", 1, 4);
      ModelStore.publish(
          models,
          ModelCard.read(scratch.resolve("n/other/card.json")),
          Files.readAllBytes(scratch.resolve("n/other/model.onnx")));
      Awaitility.await("the new model is loaded")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> registry.has("other"));
      assertEquals(1, registry.card("other").version());
    }
  }

  static void waitForVersion(ModelRegistry registry, long v) {
    Awaitility.await("version " + v + " serves")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> registry.card("m").version() >= v);
    assertEquals(v, registry.card("m").version());
  }
}
