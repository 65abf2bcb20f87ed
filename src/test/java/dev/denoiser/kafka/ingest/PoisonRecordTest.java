package dev.denoiser.kafka.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.data.NoisyDigits;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.kafka.client.KafkaMetrics;
import dev.denoiser.kafka.client.KafkaOptions;
import dev.denoiser.kafka.client.TopicSetup;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestKafka;
import dev.denoiser.testing.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A garbage record of 1,048,400 bytes on the input topic (it fits the broker's 1 MiB limit, its
 * dead letter with the error headers would not) followed by good frames: the dead letter is cut to
 * fit and says so, the good frames come out, every offset is committed, and the service stays
 * ready; in both guarantees. A record the broker refuses for good (an output topic with a small
 * max.message.bytes) is replaced by an empty dead letter. An ingest that cannot make progress with
 * records held turns readiness to 503 until it can.
 */
@Timeout(180)
@Tag("slow")
class PoisonRecordTest {
  static final int POISON_BYTES = 1_048_400;
  @TempDir Path models;
  ServiceHarness svc;
  Admin admin;
  KafkaOptions o;
  KafkaMetrics metrics;

  void start(String test, String guarantee, Map<String, Object> extra) throws Exception {
    TestModels.write(models, "conv-upsample", 1, 13);
    JsonObject names =
        TestKafka.names(test)
            .put(Setting.KAFKA_TOPIC_PARTITIONS.key(), 1)
            .put(Setting.KAFKA_GUARANTEE.key(), guarantee);
    extra.forEach(names::put);
    o = KafkaOptions.from(Settings.of(names), TestKafka.bootstrap());
    svc = ServiceHarness.start(models, new JsonObject());
    admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrap()));
    TopicSetup.ensure(o);
    metrics = new KafkaMetrics(new SimpleMeterRegistry());
  }

  void deploy() throws Exception {
    ServiceHarness.await(
        svc.vertx.deployVerticle(new KafkaIngestVerticle(svc.svc(), o, metrics, 0)));
  }

  /** Sends g0, the poison p1, then g2..g4. */
  void feed() throws Exception {
    byte[] good = new NoisyDigits(3, 0.3, 28).gray8(0);
    byte[] poison = new byte[POISON_BYTES];
    new Random(1).nextBytes(poison);
    try (KafkaProducer<String, byte[]> producer = TestKafka.producer()) {
      for (String id : List.of("g0", "p1", "g2", "g3", "g4")) {
        boolean g = id.startsWith("g");
        TestKafka.send(
            producer,
            o.noisyTopic(),
            "k",
            g ? good : poison,
            g
                ? TestKafka.headers(
                    "frame-id",
                    id,
                    "content-type",
                    "application/x-gray8",
                    "width",
                    "28",
                    "height",
                    "28")
                : TestKafka.headers("frame-id", id));
      }
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (admin != null) {
      admin.close();
    }
    if (svc != null) {
      svc.close();
    }
  }

  void maxMessageBytes(String topic, String bytes) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    admin
        .incrementalAlterConfigs(
            Map.of(
                r,
                List.of(
                    new AlterConfigOp(
                        new ConfigEntry("max.message.bytes", bytes), AlterConfigOp.OpType.SET))))
        .all()
        .get();
  }

  static List<String> frameIds(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream().map(r -> TestKafka.header(r, KafkaHeaders.FRAME_ID)).toList();
  }

  void poisonIsTruncatedAndIngestGoesOn(boolean readCommitted) throws Exception {
    deploy();
    feed();
    assertEquals(
        List.of("g0", "g2", "g3", "g4"),
        frameIds(
            TestKafka.read(
                o.denoisedTopic(),
                readCommitted,
                l -> l.size() >= 4,
                false,
                Duration.ofSeconds(60))),
        "the good frames after the poison record come out, in order");
    assertTrue(
        TestKafka.awaitAllCommitted(o.groupId(), o.noisyTopic()),
        "every offset, the poison's included, is committed");
    List<ConsumerRecord<String, byte[]>> dead = TestKafka.readToEnd(o.dlqTopic(), readCommitted);
    assertEquals(List.of("p1"), frameIds(dead));
    ConsumerRecord<String, byte[]> d = dead.get(0);
    assertEquals("true", TestKafka.header(d, KafkaHeaders.TRUNCATED));
    assertEquals(Integer.toString(POISON_BYTES), TestKafka.header(d, KafkaHeaders.ORIGINAL_SIZE));
    assertEquals("UNSUPPORTED_MEDIA_TYPE", TestKafka.header(d, KafkaHeaders.ERROR_CODE));
    assertTrue(
        d.value().length > 0 && d.value().length < o.maxRecordBytes(),
        "the dead letter keeps the head of the value: " + d.value().length + " bytes");
    assertEquals(1.0, metrics.truncatedTotal());
    assertEquals(0.0, metrics.abortedTotal(), "no transaction aborted");
    assertTrue(svc.svc().ready(), "still ready: " + svc.svc().metrics().health().problems());
  }

  @Test
  void atLeastOnce() throws Exception {
    start("poison", "at_least_once", Map.of());
    poisonIsTruncatedAndIngestGoesOn(false);
    assertEquals(0.0, metrics.sendRetriesTotal(), "nothing was retried");
  }

  @Test
  void exactlyOnce() throws Exception {
    start("poison-eos", "exactly_once", Map.of());
    poisonIsTruncatedAndIngestGoesOn(true);
  }

  @Test
  void anOutputTheBrokerRefusesBecomesAnEmptyDeadLetter() throws Exception {
    start("refused-output", "at_least_once", Map.of());
    // the denoised PNG-less gray8 28x28 record is about 800 bytes with its headers
    maxMessageBytes(o.denoisedTopic(), "200");
    deploy();
    byte[] good = new NoisyDigits(3, 0.3, 28).gray8(0);
    try (KafkaProducer<String, byte[]> producer = TestKafka.producer()) {
      TestKafka.send(
          producer,
          o.noisyTopic(),
          "k",
          good,
          TestKafka.headers(
              "frame-id",
              "g0",
              "content-type",
              "application/x-gray8",
              "width",
              "28",
              "height",
              "28"));
    }
    assertTrue(TestKafka.awaitAllCommitted(o.groupId(), o.noisyTopic()), "the offset moves on");
    List<ConsumerRecord<String, byte[]>> dead = TestKafka.readToEnd(o.dlqTopic(), false);
    assertEquals(List.of("g0"), frameIds(dead));
    assertEquals("PAYLOAD_TOO_LARGE", TestKafka.header(dead.get(0), KafkaHeaders.ERROR_CODE));
    assertEquals("true", TestKafka.header(dead.get(0), KafkaHeaders.TRUNCATED));
    assertEquals(0, dead.get(0).value().length);
    assertEquals(1.0, metrics.truncatedTotal());
  }

  @Test
  void noProgressWithABacklogMakesReadinessFalseUntilItMoves() throws Exception {
    start("stall", "at_least_once", Map.of(Setting.KAFKA_STALL_MS.key(), 1500));
    // a dead-letter topic that refuses even an empty record: an outage, retried, the offset held
    maxMessageBytes(o.dlqTopic(), "100");
    deploy();
    try (KafkaProducer<String, byte[]> producer = TestKafka.producer()) {
      TestKafka.send(
          producer, o.noisyTopic(), "k", new byte[300], TestKafka.headers("frame-id", "p0"));
    }
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !svc.svc().ready());
    assertTrue(
        svc.svc().metrics().health().problems().containsKey("kafka-ingest-0"),
        "the ingest names itself: " + svc.svc().metrics().health().problems());
    maxMessageBytes(o.dlqTopic(), "1048588");
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> svc.svc().ready());
    assertTrue(TestKafka.awaitAllCommitted(o.groupId(), o.noisyTopic()));
    assertFalse(svc.svc().metrics().health().problems().containsKey("kafka-ingest-0"));
  }
}
