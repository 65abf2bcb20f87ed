package dev.denoiser.kafka.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.data.NoisyDigits;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestKafka;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka backlog cannot starve interactive callers: with 10,000 MNIST frames queued on the input
 * topic for the real {@code conv-upsample} model, 300 concurrent HTTP requests still nearly all
 * succeed, because Kafka holds only its share of the batcher's queue ({@code
 * batching.sourceWeights}) and of the byte budget; the backlog is still denoised in full
 * afterwards. Before the shares, 256 of 300 got 503.
 */
@Timeout(600)
@Tag("slow")
class KafkaBacklogFairnessTest {
  private static final int BACKLOG = 10_000;
  private static final int HTTP = 300;

  @Test
  void httpRequestsSucceedWhileKafkaWorksThroughABacklog(@TempDir Path models) throws Exception {
    Path src = Path.of("models", "conv-upsample");
    Files.createDirectories(models.resolve("conv-upsample"));
    for (String f : List.of("model.onnx", "card.json")) {
      Files.copy(src.resolve(f), models.resolve("conv-upsample").resolve(f));
    }
    JsonObject cfg =
        TestKafka.names("fairness")
            .put(Setting.MODELS_DEFAULT.key(), "conv-upsample")
            .put(Setting.KAFKA_TOPIC_MODELS.key(), "")
            .put(Setting.MODELS_WATCH_MS.key(), 0);
    String noisy = cfg.getString(Setting.KAFKA_TOPIC_NOISY.key());
    NoisyDigits digits = new NoisyDigits(3, 0.3, 28);
    // the backlog is there before the service starts, so the topic is made here
    TestKafka.createTopic(noisy, 4);
    try (KafkaProducer<String, byte[]> producer = TestKafka.producer()) {
      List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
      for (int i = 0; i < BACKLOG; i++) {
        acks.add(
            producer.send(
                new ProducerRecord<>(
                    noisy,
                    null,
                    "s-" + (i % 16),
                    digits.gray8(i % 1000),
                    TestKafka.headers(
                        "content-type",
                        "application/x-gray8",
                        "width",
                        "28",
                        "height",
                        "28",
                        "frame-id",
                        "k" + i))));
      }
      for (java.util.concurrent.Future<?> a : acks) {
        a.get();
      }
    }
    Vertx clients = Vertx.vertx();
    try (ServiceHarness svc = ServiceHarness.start(models, cfg)) {
      var pending =
          svc.metered
              .registry()
              .find("nv_inference_pending_request_count")
              .tag("model", "conv-upsample");
      Awaitility.await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> pending.gauge() != null && pending.gauge().value() >= 50);
      WebClient http =
          WebClient.create(
              clients,
              new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(svc.port()),
              new PoolOptions().setHttp1MaxSize(100));
      List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
      for (int i = 0; i < HTTP; i++) {
        calls.add(
            http.post("/v1/models/conv-upsample/denoise?width=28&height=28")
                .putHeader("Content-Type", "application/x-gray8")
                .sendBuffer(Buffer.buffer(digits.gray8(i))));
      }
      ServiceHarness.await(Future.join(calls).otherwiseEmpty());
      Map<Integer, Integer> statuses = new TreeMap<>();
      for (Future<HttpResponse<Buffer>> c : calls) {
        statuses.merge(c.succeeded() ? c.result().statusCode() : -1, 1, Integer::sum);
      }
      long committed =
          TestKafka.committed(cfg.getString(Setting.KAFKA_GROUP_ID.key()), noisy).values().stream()
              .mapToLong(Long::longValue)
              .sum();
      System.out.printf(
          "fairness: HTTP statuses %s of %d while Kafka had committed %d of %d%n",
          statuses, HTTP, committed, BACKLOG);
      assertTrue(
          committed < BACKLOG, "the Kafka backlog was still there while the HTTP requests ran");
      int ok = statuses.getOrDefault(200, 0);
      assertTrue(ok >= HTTP * 95 / 100, "at least 95% of the HTTP requests succeeded: " + statuses);
      assertTrue(
          TestKafka.awaitAllCommitted(cfg.getString(Setting.KAFKA_GROUP_ID.key()), noisy)
              || TestKafka.awaitAllCommitted(cfg.getString(Setting.KAFKA_GROUP_ID.key()), noisy),
          "the whole backlog was denoised and committed afterwards");
      assertEquals(
          0,
          TestKafka.readToEnd(cfg.getString(Setting.KAFKA_TOPIC_DLQ.key()), false).size(),
          "nothing was dropped to the dead-letter topic");
      http.close();
    } finally {
      clients.close();
    }
  }
}
