package dev.denoiser.hotswap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.denoiser.inference.ModelLoader;
import dev.denoiser.inference.ModelRegistry;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.metrics.ServiceMetrics;
import dev.denoiser.model.ModelCard;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestKafka;
import dev.denoiser.testing.TestModels;
import dev.denoiser.trust.ModelSignature;
import dev.denoiser.trust.ModelSigner;
import dev.denoiser.trust.SigningKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@link Error} thrown while the models-topic follower installs (here a NoClassDefFoundError
 * from the first install) no longer ends its thread silently: it is counted, readiness reports the
 * follower, and a new thread reads the topic again and installs the signed version.
 */
@Tag("slow")
@Timeout(180)
class FollowerRestartTest {
  @TempDir Path tmp;

  @Test
  void anErrorInThePollingThreadIsCountedAndTheFollowerRestarts() throws Exception {
    ServiceMetrics metrics = ServiceMetrics.inMemory();
    ModelSigner signer = new ModelSigner(SigningKeys.generate());
    Path models = tmp.resolve("models");
    ModelRegistry registry =
        new ModelRegistry(new ModelLoader(Device.cpu(), 1, null), metrics, "m");
    registry.install(TestModels.write(models, "m", 1, 1));
    AtomicBoolean first = new AtomicBoolean(true);
    ModelInstaller installer =
        new ModelInstaller(models, registry, metrics) {
          @Override
          public ModelCard install(ModelCard card, byte[] onnx, ModelSignature signature) {
            if (first.getAndSet(false)) {
              throw new NoClassDefFoundError("injected: a class that failed to load");
            }
            return super.install(card, onnx, signature);
          }
        };
    String topic = "models." + UUID.randomUUID();
    byte[] onnx = TestModels.onnx(2, 0, 0, 4, "denoised");
    ModelCard card =
        new ModelCard("m", "test-conv", 2, ModelLoader.sha256(onnx), 0, 0, 1, 4, new JsonObject());
    Vertx vertx = Vertx.vertx();
    try (KafkaProducer<String, byte[]> p = TestKafka.producer()) {
      ModelsTopic.ensureModels(
          Map.<String, Object>of("bootstrap.servers", TestKafka.bootstrap()), topic, 16L << 20);
      TestKafka.send(
          p,
          topic,
          "m",
          new ModelEnvelope(card, onnx, signer.sign(card, onnx)).encode(),
          TestKafka.headers(KafkaHeaders.CONTENT_TYPE, ModelEnvelope.CONTENT_TYPE));
      ServiceHarness.await(
          vertx.deployVerticle(
              new ModelsTopicFollower(
                  Map.<String, Object>of("bootstrap.servers", TestKafka.bootstrap()),
                  topic,
                  16L << 20,
                  installer,
                  metrics)));
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> registry.card("m").version() == 2);
      assertEquals(
          1.0,
          metrics.registry().counter("denoiser_models_follower_restarts").count(),
          "the Error is counted");
      assertTrue(
          metrics.health().ok(),
          "ready again once the new thread caught up: " + metrics.health().problems());
      assertEquals(List.of(), List.copyOf(metrics.health().problems().keySet()));
    } finally {
      ServiceHarness.await(vertx.close());
      registry.close();
    }
  }
}
