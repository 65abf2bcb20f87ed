package dev.denoiser.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A dead-letter topic that refuses writes is not ignored: the record's offset stays uncommitted until it is written. */
@Timeout(120)
class DeadLetterOutageTest {
  static void maxMessageBytes(Admin admin, String topic, String bytes) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    admin.incrementalAlterConfigs(Map.of(r, List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", bytes),
        AlterConfigOp.OpType.SET)))).all().get();
  }

  static long waitFor(java.util.function.LongSupplier value, long atLeast) throws InterruptedException {
    long end = System.nanoTime() + 30_000_000_000L;
    long v;
    while ((v = value.getAsLong()) < atLeast && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    return v;
  }

  @Test
  void anUnwritableDeadLetterHoldsItsOffsetUntilItIsWritten(@TempDir Path models) throws Exception {
    TestModels.write(models, "conv-upsample", 1, 13);
    JsonObject names = TestKafka.names("dlq-outage").put(Setting.KAFKA_TOPIC_PARTITIONS.key(), 1);
    KafkaOptions o = KafkaOptions.from(Settings.of(names), TestKafka.bootstrap());
    try (ServiceHarness svc = ServiceHarness.start(models, new JsonObject());
        KafkaProducer<String, byte[]> producer = TestKafka.producer();
        Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrap()))) {
      TopicSetup.ensure(o);
      maxMessageBytes(admin, o.dlqTopic(), "100");
      KafkaMetrics metrics = new KafkaMetrics(new SimpleMeterRegistry());
      String id = ServiceHarness.await(svc.vertx.deployVerticle(new KafkaIngestVerticle(svc.svc(), o, metrics, 0)));
      byte[] good = new NoisyDigits(3, 0.3, 28).gray8(0);
      TestKafka.send(producer, o.noisyTopic(), "k", good, TestKafka.headers("frame-id", "g0", "content-type",
          "application/x-gray8", "width", "28", "height", "28"));
      TestKafka.send(producer, o.noisyTopic(), "k", new byte[300], TestKafka.headers("frame-id", "p1"));
      TestKafka.send(producer, o.noisyTopic(), "k", good, TestKafka.headers("frame-id", "g2", "content-type",
          "application/x-gray8", "width", "28", "height", "28"));

      List<String> out = TestKafka.readAtLeast(o.denoisedTopic(), 2, false).stream()
          .map(r -> TestKafka.header(r, KafkaHeaders.FRAME_ID)).toList();
      assertEquals(List.of("g0", "g2"), out, "the good records around the refused dead letter still come out");
      assertTrue(waitFor(() -> (long) metrics.sendRetriesTotal(), 2) >= 2, "the dead letter is retried");
      TopicPartition tp = new TopicPartition(o.noisyTopic(), 0);
      long committed = waitFor(() -> committed(o, tp), 1);
      assertEquals(1, committed, "commit stops before the dead letter that could not be written");
      assertEquals(0, TestKafka.readToEnd(o.dlqTopic(), false).size());

      maxMessageBytes(admin, o.dlqTopic(), "1048588");
      assertTrue(TestKafka.awaitAllCommitted(o.groupId(), o.noisyTopic()), "once written, the offsets move on");
      List<ConsumerRecord<String, byte[]>> dead = TestKafka.readToEnd(o.dlqTopic(), false);
      assertEquals(1, dead.size());
      assertEquals("UNSUPPORTED_MEDIA_TYPE", TestKafka.header(dead.get(0), KafkaHeaders.ERROR_CODE));
      assertEquals("p1", TestKafka.header(dead.get(0), KafkaHeaders.FRAME_ID));
      ServiceHarness.await(svc.vertx.undeploy(id));
    }
  }

  @Test
  void inExactlyOnceModeTheTransactionIsAbortedAndRetriedUntilTheDeadLetterIsWritten(@TempDir Path models)
      throws Exception {
    TestModels.write(models, "conv-upsample", 1, 13);
    JsonObject names = TestKafka.names("dlq-outage-eos").put(Setting.KAFKA_TOPIC_PARTITIONS.key(), 1)
        .put(Setting.KAFKA_GUARANTEE.key(), "exactly_once");
    KafkaOptions o = KafkaOptions.from(Settings.of(names), TestKafka.bootstrap());
    try (ServiceHarness svc = ServiceHarness.start(models, new JsonObject());
        KafkaProducer<String, byte[]> producer = TestKafka.producer();
        Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrap()))) {
      TopicSetup.ensure(o);
      maxMessageBytes(admin, o.dlqTopic(), "100");
      KafkaMetrics metrics = new KafkaMetrics(new SimpleMeterRegistry());
      String id = ServiceHarness.await(svc.vertx.deployVerticle(new KafkaIngestVerticle(svc.svc(), o, metrics, 0)));
      byte[] good = new NoisyDigits(3, 0.3, 28).gray8(0);
      TestKafka.send(producer, o.noisyTopic(), "k", good, TestKafka.headers("frame-id", "g0", "content-type",
          "application/x-gray8", "width", "28", "height", "28"));
      TestKafka.send(producer, o.noisyTopic(), "k", new byte[300], TestKafka.headers("frame-id", "p1"));
      TestKafka.send(producer, o.noisyTopic(), "k", good, TestKafka.headers("frame-id", "g2", "content-type",
          "application/x-gray8", "width", "28", "height", "28"));

      assertTrue(waitFor(() -> (long) metrics.abortedTotal(), 2) >= 2, "the transaction holding the dead letter is aborted, again and again");
      TopicPartition tp = new TopicPartition(o.noisyTopic(), 0);
      assertTrue(committed(o, tp) <= 1, "nothing from the dead letter on is committed");
      assertEquals(0, TestKafka.readToEnd(o.dlqTopic(), true).size());

      maxMessageBytes(admin, o.dlqTopic(), "1048588");
      assertTrue(TestKafka.awaitAllCommitted(o.groupId(), o.noisyTopic()), "once written, the offsets move on");
      assertEquals(List.of("g0", "g2"), TestKafka.readToEnd(o.denoisedTopic(), true).stream()
          .map(r -> TestKafka.header(r, KafkaHeaders.FRAME_ID)).toList(), "each good frame committed once, in order");
      List<ConsumerRecord<String, byte[]>> dead = TestKafka.readToEnd(o.dlqTopic(), true);
      assertEquals(List.of("p1"), dead.stream().map(r -> TestKafka.header(r, KafkaHeaders.FRAME_ID)).toList());
      ServiceHarness.await(svc.vertx.undeploy(id));
    }
  }

  private static long committed(KafkaOptions o, TopicPartition tp) {
    try {
      return TestKafka.committed(o.groupId(), o.noisyTopic()).get(tp);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
