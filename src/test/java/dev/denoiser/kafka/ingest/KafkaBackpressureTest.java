package dev.denoiser.kafka.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.data.NoisyDigits;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestKafka;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Far more frames than the batcher's queue holds: partitions pause and resume, and every frame
 * comes out once, in order.
 */
@ExtendWith(VertxExtension.class)
@io.vertx.junit5.Timeout(value = 120, timeUnit = java.util.concurrent.TimeUnit.SECONDS)
@Timeout(180)
@Tag("slow")
class KafkaBackpressureTest {
  @TempDir Path models;
  JsonObject cfg;
  ServiceHarness svc;

  @BeforeEach
  void start(VertxTestContext ctx) throws Exception {
    TestModels.write(models, "conv-upsample", 1, 19);
    cfg =
        TestKafka.names("backpressure")
            .put(Setting.BATCH_QUEUE_SIZE.key(), 4)
            .put(Setting.BATCH_MAX_SIZE.key(), 4)
            .put(Setting.KAFKA_MAX_IN_FLIGHT.key(), 200);
    ServiceHarness.deploy(models, cfg)
        .onComplete(
            ctx.succeeding(
                h -> {
                  svc = h;
                  ctx.completeNow();
                }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    svc.stop().onComplete(ctx.succeedingThenComplete());
  }

  /**
   * Kafka clients block, so this test feeds and reads on its own thread; the service is the
   * context's.
   */
  @Test
  void aBacklogLargerThanTheQueueIsDenoisedWithoutLosingAFrame() throws Exception {
    int n = 1200;
    Map<String, List<String>> sent = new LinkedHashMap<>();
    try (KafkaProducer<String, byte[]> producer = TestKafka.producer()) {
      String noisy = cfg.getString(Setting.KAFKA_TOPIC_NOISY.key());
      NoisyDigits digits = new NoisyDigits(9, 0.3, 28);
      List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String key = "s-" + (i % 6);
        String id = key + "/" + i;
        acks.add(
            producer.send(
                new ProducerRecord<>(
                    noisy,
                    null,
                    key,
                    digits.gray8(i),
                    TestKafka.headers(
                        "content-type",
                        "application/x-gray8",
                        "width",
                        "28",
                        "height",
                        "28",
                        "frame-id",
                        id))));
        sent.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
      }
      for (java.util.concurrent.Future<?> a : acks) {
        a.get();
      }
      List<ConsumerRecord<String, byte[]>> out =
          TestKafka.readAtLeast(cfg.getString(Setting.KAFKA_TOPIC_DENOISED.key()), n, false);
      Map<String, List<String>> got = new LinkedHashMap<>();
      out.forEach(
          r ->
              got.computeIfAbsent(r.key(), k -> new ArrayList<>())
                  .add(TestKafka.header(r, KafkaHeaders.FRAME_ID)));
      assertEquals(sent, got, "every frame once, in input order per key");
      assertTrue(TestKafka.awaitAllCommitted(cfg.getString(Setting.KAFKA_GROUP_ID.key()), noisy));
      var registry = svc.metered.registry();
      assertTrue(
          registry.counter("denoiser_kafka_retries", "code", "OVERLOADED").count() > 0,
          "the batcher's queue filled up and refused frames were offered again");
      assertEquals(
          0,
          TestKafka.readToEnd(cfg.getString(Setting.KAFKA_TOPIC_DLQ.key()), false).size(),
          "backpressure sends nothing to the dead-letter topic");
    }
  }
}
