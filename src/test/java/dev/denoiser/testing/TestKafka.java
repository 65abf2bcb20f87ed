package dev.denoiser.testing;

import dev.denoiser.config.Setting;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.kafka.client.KafkaOptions;
import dev.denoiser.kafka.embedded.EmbeddedKafka;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One real embedded broker for the whole test JVM (started on first use, stopped at exit), and the
 * plain Kafka clients the tests use to feed it and read it back. Every test names its own topics
 * and group with {@link #names}.
 */
public final class TestKafka {
  private static EmbeddedKafka broker;

  private TestKafka() {}

  static synchronized EmbeddedKafka broker() throws Exception {
    if (broker == null) {
      Path dir = Files.createTempDirectory("denoiser-kafka-test");
      broker = EmbeddedKafka.start(dir, 0);
      EmbeddedKafka b = broker;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    b.close();
                    deleteQuietly(dir);
                  }));
    }
    return broker;
  }

  public static String bootstrap() throws Exception {
    return broker().bootstrapServers();
  }

  /** Settings for a test's own topics and group on the shared broker, Kafka role on. */
  public static JsonObject names(String test) throws Exception {
    String s = test + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new JsonObject()
        .put(Setting.KAFKA_ENABLED.key(), true)
        .put(Setting.KAFKA_BOOTSTRAP_SERVERS.key(), bootstrap())
        .put(Setting.KAFKA_TOPIC_NOISY.key(), "noisy." + s)
        .put(Setting.KAFKA_TOPIC_DENOISED.key(), "denoised." + s)
        .put(Setting.KAFKA_TOPIC_LATENT.key(), "latent." + s)
        .put(Setting.KAFKA_TOPIC_DLQ.key(), "dlq." + s)
        .put(Setting.KAFKA_GROUP_ID.key(), "group." + s)
        .put(Setting.KAFKA_TOPIC_PARTITIONS.key(), 4)
        .put(Setting.KAFKA_STATS_INTERVAL_MS.key(), 0);
  }

  /**
   * Creates a topic and waits until every partition has a leader: a producer that sends at once can
   * get NOT_LEADER on its first batch, and an idempotent producer then sometimes loops on
   * OUT_OF_ORDER_SEQUENCE_NUMBER until its records expire.
   */
  public static void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
      admin
          .createTopics(
              List.of(new org.apache.kafka.clients.admin.NewTopic(name, partitions, (short) 1)))
          .all()
          .get();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        var d = admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
        if (d.partitions().size() == partitions
            && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topic " + name + " has no leader for every partition");
        }
        Thread.sleep(50);
      }
    }
  }

  public static KafkaProducer<String, byte[]> producer() throws Exception {
    KafkaOptions o = KafkaOptions.from(dev.denoiser.config.Settings.defaultsOnly(), bootstrap());
    return new KafkaProducer<>(o.producerConfig("test-feed-" + UUID.randomUUID()));
  }

  public static Headers headers(String... kv) {
    Headers h = new RecordHeaders();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      h.add(kv[i], kv[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return h;
  }

  public static RecordMetadata send(
      KafkaProducer<String, byte[]> p, String topic, String key, byte[] value, Headers h)
      throws Exception {
    return p.send(new ProducerRecord<>(topic, null, key, value, h)).get(30, TimeUnit.SECONDS);
  }

  /**
   * Reads {@code topic} from the beginning until {@code done} holds for what was read, or every
   * partition was read to the end offset it had when the read began ({@code toEnd}), or the timeout
   * passes. {@code readCommitted} hides records of open and aborted transactions.
   */
  public static List<ConsumerRecord<String, byte[]>> read(
      String topic,
      boolean readCommitted,
      Predicate<List<ConsumerRecord<String, byte[]>>> done,
      boolean toEnd,
      Duration timeout)
      throws Exception {
    return read(bootstrap(), topic, readCommitted, done, toEnd, timeout);
  }

  /**
   * As {@link #read(String, boolean, Predicate, boolean, Duration)}, from the broker at {@code
   * servers}.
   */
  public static List<ConsumerRecord<String, byte[]>> read(
      String servers,
      String topic,
      boolean readCommitted,
      Predicate<List<ConsumerRecord<String, byte[]>>> done,
      boolean toEnd,
      Duration timeout)
      throws Exception {
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", servers);
    c.put("key.deserializer", StringDeserializer.class.getName());
    c.put("value.deserializer", ByteArrayDeserializer.class.getName());
    c.put("isolation.level", readCommitted ? "read_committed" : "read_uncommitted");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
      Map<TopicPartition, Long> ends =
          consumer.endOffsets(
              consumer.partitionsFor(topic).stream()
                  .map(p -> new TopicPartition(topic, p.partition()))
                  .toList());
      consumer.assign(ends.keySet());
      consumer.seekToBeginning(ends.keySet());
      long end = System.nanoTime() + timeout.toNanos();
      while (!done.test(out) && System.nanoTime() < end) {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
        if (toEnd
            && ends.entrySet().stream()
                .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          break;
        }
      }
    }
    return out;
  }

  /** Reads until at least {@code n} records are there (or 60 s pass). */
  public static List<ConsumerRecord<String, byte[]>> readAtLeast(
      String topic, int n, boolean readCommitted) throws Exception {
    return read(topic, readCommitted, l -> l.size() >= n, false, Duration.ofSeconds(60));
  }

  /** Reads every record up to the current end offsets. */
  public static List<ConsumerRecord<String, byte[]>> readToEnd(String topic, boolean readCommitted)
      throws Exception {
    return read(topic, readCommitted, l -> false, true, Duration.ofSeconds(60));
  }

  static Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
      Map<TopicPartition, OffsetSpec> q = new HashMap<>();
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .forEach(p -> q.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      Map<TopicPartition, Long> out = new HashMap<>();
      admin.listOffsets(q).all().get().forEach((tp, r) -> out.put(tp, r.offset()));
      return out;
    }
  }

  /** The group's committed offsets on {@code topic}'s partitions (0 where none). */
  public static Map<TopicPartition, Long> committed(String group, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap()))) {
      Map<TopicPartition, OffsetAndMetadata> got =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, Long> out = new HashMap<>();
      for (TopicPartition tp : endOffsets(topic).keySet()) {
        OffsetAndMetadata o = got.get(tp);
        out.put(tp, o == null ? 0L : o.offset());
      }
      return out;
    }
  }

  /**
   * Waits until the group has committed everything in {@code topic} (or 60 s pass); returns whether
   * it did.
   */
  public static boolean awaitAllCommitted(String group, String topic) {
    try {
      Awaitility.await("group " + group + " commits all of " + topic)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> committed(group, topic).equals(endOffsets(topic)));
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  public static String header(ConsumerRecord<?, ?> r, String name) {
    return KafkaHeaders.text(r.headers(), name);
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      // a temp dir; the OS cleans it up otherwise
    }
  }
}
