package dev.denoiser.kafka.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dead-letter topic that refuses writes (its max.message.bytes is too small) is not ignored: the
 * record's offset stays uncommitted until the dead letter is written, in both guarantees.
 */
@ExtendWith(VertxExtension.class)
@io.vertx.junit5.Timeout(value = 60, timeUnit = java.util.concurrent.TimeUnit.SECONDS)
@Timeout(120)
@Tag("slow")
class DeadLetterOutageTest {
  @TempDir Path models;
  ServiceHarness svc;
  Admin admin;
  KafkaOptions o;
  KafkaMetrics metrics;
  TopicPartition tp;

  @BeforeEach
  void startService(VertxTestContext ctx) throws Exception {
    TestModels.write(models, "conv-upsample", 1, 13);
    admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrap()));
    ServiceHarness.deploy(models, new JsonObject())
        .onComplete(
            ctx.succeeding(
                h -> {
                  svc = h;
                  ctx.completeNow();
                }));
  }

  /**
   * Starts an ingest on a one-partition topic whose dead-letter topic refuses records, then sends
   * good, poison, good.
   */
  void start(String test, String guarantee) throws Exception {
    o =
        KafkaOptions.from(
            Settings.of(
                TestKafka.names(test)
                    .put(Setting.KAFKA_TOPIC_PARTITIONS.key(), 1)
                    .put(Setting.KAFKA_GUARANTEE.key(), guarantee)),
            TestKafka.bootstrap());
    tp = new TopicPartition(o.noisyTopic(), 0);
    TopicSetup.ensure(o);
    maxMessageBytes(o.dlqTopic(), "100");
    metrics = new KafkaMetrics(new SimpleMeterRegistry());
    ServiceHarness.await(
        svc.vertx.deployVerticle(new KafkaIngestVerticle(svc.svc(), o, metrics, 0)));
    byte[] good = new NoisyDigits(3, 0.3, 28).gray8(0);
    try (KafkaProducer<String, byte[]> producer = TestKafka.producer()) {
      for (String id : List.of("g0", "p1", "g2")) {
        var h =
            id.startsWith("g")
                ? TestKafka.headers(
                    "frame-id",
                    id,
                    "content-type",
                    "application/x-gray8",
                    "width",
                    "28",
                    "height",
                    "28")
                : TestKafka.headers("frame-id", id);
        TestKafka.send(producer, o.noisyTopic(), "k", id.startsWith("g") ? good : new byte[300], h);
      }
    }
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    admin.close();
    svc.stop().onComplete(ctx.succeedingThenComplete());
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

  /**
   * Polls {@code value} until it reaches {@code atLeast} (or 30 s pass); returns its last value for
   * the caller to assert.
   */
  static long waitFor(LongSupplier value, long atLeast) {
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> value.getAsLong() >= atLeast);
    } catch (ConditionTimeoutException e) {
      // the caller's assertion says what did not happen
    }
    return value.getAsLong();
  }

  long committed() {
    try {
      return TestKafka.committed(o.groupId(), o.noisyTopic()).get(tp);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> frameIds(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream().map(r -> TestKafka.header(r, KafkaHeaders.FRAME_ID)).toList();
  }

  /** Makes the dead-letter topic take the record, then checks everything is committed once. */
  void repairAndCheck(boolean readCommitted) throws Exception {
    maxMessageBytes(o.dlqTopic(), "1048588");
    assertTrue(
        TestKafka.awaitAllCommitted(o.groupId(), o.noisyTopic()),
        "once written, the offsets move on");
    assertEquals(
        List.of("g0", "g2"),
        frameIds(TestKafka.readToEnd(o.denoisedTopic(), readCommitted)),
        "each good frame once, in order");
    List<ConsumerRecord<String, byte[]>> dead = TestKafka.readToEnd(o.dlqTopic(), readCommitted);
    assertEquals(List.of("p1"), frameIds(dead));
    assertEquals("UNSUPPORTED_MEDIA_TYPE", TestKafka.header(dead.get(0), KafkaHeaders.ERROR_CODE));
  }

  @Test
  void atLeastOnceRetriesTheDeadLetterAndHoldsItsOffset() throws Exception {
    start("dlq-outage", "at_least_once");
    assertEquals(
        List.of("g0", "g2"),
        frameIds(TestKafka.readAtLeast(o.denoisedTopic(), 2, false)),
        "the good records around the refused dead letter still come out");
    assertTrue(
        waitFor(() -> (long) metrics.sendRetriesTotal(), 2) >= 2, "the dead letter is retried");
    assertEquals(
        1,
        waitFor(this::committed, 1),
        "commit stops before the dead letter that could not be written");
    assertEquals(0, TestKafka.readToEnd(o.dlqTopic(), false).size());
    repairAndCheck(false);
  }

  @Test
  void exactlyOnceAbortsAndRewindsUntilTheDeadLetterIsWritten() throws Exception {
    start("dlq-outage-eos", "exactly_once");
    assertTrue(
        waitFor(() -> (long) metrics.abortedTotal(), 2) >= 2,
        "the transaction holding the dead letter is aborted, and tried again");
    assertTrue(committed() <= 1, "nothing from the dead letter on is committed");
    assertEquals(0, TestKafka.readToEnd(o.dlqTopic(), true).size());
    repairAndCheck(true);
  }
}
