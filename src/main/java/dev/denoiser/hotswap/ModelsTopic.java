package dev.denoiser.hotswap;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side of model distribution and of the trainer's inputs: topic creation and client
 * configurations. The models topic has one partition and {@code cleanup.policy=compact}, so the
 * newest envelope of every model name stays for replicas that start later; its {@code
 * max.message.bytes}, the producer's {@code max.request.size} and the consumers' fetch sizes all
 * admit envelopes of {@code kafka.models.maxBytes} plus record overhead.
 */
public final class ModelsTopic {
  private static final Logger LOG = LoggerFactory.getLogger(ModelsTopic.class);

  /** Room for record headers and batch framing on top of the envelope. */
  static final int OVERHEAD = 64 << 10;

  private static final long TIMEOUT_S = 60;

  private ModelsTopic() {}

  static int recordLimit(long maxBytes) {
    return Math.toIntExact(Math.min(Integer.MAX_VALUE - OVERHEAD, maxBytes) + OVERHEAD);
  }

  /**
   * Creates the compacted models topic when missing; warns when an existing one is not compacted.
   * Blocking.
   */
  public static void ensureModels(Map<String, Object> admin, String topic, long maxBytes)
      throws Exception {
    Map<String, String> configs =
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
            Integer.toString(recordLimit(maxBytes)));
    try (Admin a = Admin.create(admin)) {
      if (create(a, new NewTopic(topic, Optional.of(1), Optional.empty()).configs(configs))) {
        LOG.info(
            "created models topic {} (compacted, max.message.bytes {})",
            topic,
            recordLimit(maxBytes));
      } else {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config c = a.describeConfigs(List.of(r)).all().get(TIMEOUT_S, TimeUnit.SECONDS).get(r);
        String policy = c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        long max = Long.parseLong(c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
        if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT) || max < recordLimit(maxBytes)) {
          LOG.warn(
              "models topic {} has cleanup.policy={} and max.message.bytes={}; expected compact and at least {}",
              topic,
              policy,
              max,
              recordLimit(maxBytes));
        }
      }
      awaitLeaders(a, Set.of(topic));
    }
  }

  /**
   * Creates plain topics (control: 1 partition; others: {@code partitions}) when missing. Blocking.
   */
  public static void ensurePlain(Map<String, Object> admin, Map<String, Integer> topics)
      throws Exception {
    try (Admin a = Admin.create(admin)) {
      for (var e : topics.entrySet()) {
        if (create(a, new NewTopic(e.getKey(), Optional.of(e.getValue()), Optional.empty()))) {
          LOG.info("created topic {}", e.getKey());
        }
      }
      awaitLeaders(a, topics.keySet());
    }
  }

  private static boolean create(Admin a, NewTopic t) throws Exception {
    if (a.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS).contains(t.name())) {
      return false;
    }
    try {
      a.createTopics(List.of(t)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false;
      }
      throw new IllegalStateException(
          "cannot create topic " + t.name() + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * Waits until every partition of {@code topics} has a leader (a fresh topic may need a moment).
   */
  private static void awaitLeaders(Admin a, Set<String> topics) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (true) {
      try {
        boolean ok =
            a
                .describeTopics(topics)
                .allTopicNames()
                .get(TIMEOUT_S, TimeUnit.SECONDS)
                .values()
                .stream()
                .allMatch(
                    d ->
                        d.partitions().stream()
                            .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        if (ok) {
          return;
        }
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "topics " + topics + " are not ready: " + e.getCause().getMessage(), e.getCause());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "topics " + topics + " have no leader after " + TIMEOUT_S + " s");
      }
      Thread.sleep(100);
    }
  }

  /** The producer of promoted models: idempotent, acks=all, requests up to the envelope limit. */
  public static Map<String, Object> producerConfig(
      Map<String, Object> common, String clientId, long maxBytes) {
    Map<String, Object> c = new HashMap<>(common);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(recordLimit(maxBytes)));
    c.put(
        ProducerConfig.BUFFER_MEMORY_CONFIG,
        Long.toString(Math.max(32L << 20, 2L * recordLimit(maxBytes))));
    return c;
  }

  /**
   * A consumer that can fetch whole envelopes and commits by hand: without a group ({@code group}
   * null) for the models topic follower, which assigns partitions itself; in {@code group} for the
   * trainer's control and reference input.
   */
  public static Map<String, Object> consumerConfig(
      Map<String, Object> common, String group, String clientId, long maxBytes) {
    Map<String, Object> c = new HashMap<>(common);
    if (group != null) {
      c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(recordLimit(maxBytes)));
    c.put(
        ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
        Integer.toString(Math.max(50 << 20, recordLimit(maxBytes))));
    return c;
  }
}
