package dev.denoiser.kafka.client;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka role's settings, read once from {@link Settings}, and the client configurations built
 * from them: the ingest consumer reads {@code byte[]} keys and values (a key goes back out byte for
 * byte, whatever its encoding) with manual commits and {@code read_committed}; producers are
 * idempotent with {@code acks=all}; the exactly-once producer adds a {@code transactional.id}.
 *
 * <p>Every client gets the pass-through client properties first (security, SASL, SSL, time-outs):
 * those of {@code kafka.clientPropertiesFile}, then the deprecated {@code kafka.clientProperties},
 * then every {@code kafka.client.<property>} setting, later ones winning. Values are taken as they
 * are, so a {@code sasl.jaas.config} with {@code ;} works.
 */
public record KafkaOptions(
    String bootstrapServers,
    String noisyTopic,
    String denoisedTopic,
    String latentTopic,
    String dlqTopic,
    int partitions,
    String groupId,
    int instances,
    Guarantee guarantee,
    long commitIntervalMillis,
    int maxInFlight,
    String transactionalIdPrefix,
    Map<String, String> clientProperties,
    long shutdownGraceMillis,
    int maxRecordBytes,
    long stallMillis,
    boolean autoCreateTopics,
    int replicationFactor) {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaOptions.class);

  /** {@code kafka.processing.guarantee}, named as in Kafka Streams. */
  public enum Guarantee {
    AT_LEAST_ONCE,
    EXACTLY_ONCE;

    public static Guarantee parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            Setting.KAFKA_GUARANTEE.key()
                + " must be at_least_once or exactly_once, got '"
                + s
                + "'");
      }
    }
  }

  /**
   * The options of {@code s}, with {@code bootstrap} (the embedded broker's address) when the
   * settings name none.
   */
  public static KafkaOptions from(Settings s, String bootstrap) {
    String configured = s.getString(Setting.KAFKA_BOOTSTRAP_SERVERS).trim();
    return new KafkaOptions(
        configured.isEmpty() ? bootstrap : configured,
        s.getString(Setting.KAFKA_TOPIC_NOISY),
        s.getString(Setting.KAFKA_TOPIC_DENOISED),
        s.getString(Setting.KAFKA_TOPIC_LATENT),
        s.getString(Setting.KAFKA_TOPIC_DLQ),
        Math.max(1, s.getInt(Setting.KAFKA_TOPIC_PARTITIONS)),
        s.getString(Setting.KAFKA_GROUP_ID),
        Math.max(1, s.getInt(Setting.KAFKA_INSTANCES)),
        Guarantee.parse(s.getString(Setting.KAFKA_GUARANTEE)),
        Math.max(1, s.getLong(Setting.KAFKA_COMMIT_INTERVAL_MS)),
        Math.max(1, s.getInt(Setting.KAFKA_MAX_IN_FLIGHT)),
        s.getString(Setting.KAFKA_TRANSACTIONAL_ID).trim(),
        clientProperties(s),
        Math.max(0, s.getLong(Setting.KAFKA_SHUTDOWN_GRACE_MS)),
        Math.max(1024, s.getInt(Setting.KAFKA_MAX_RECORD_BYTES)),
        Math.max(0, s.getLong(Setting.KAFKA_STALL_MS)),
        s.getBoolean(Setting.KAFKA_TOPIC_AUTO_CREATE),
        s.getInt(Setting.KAFKA_TOPIC_REPLICATION));
  }

  /**
   * The pass-through client properties: {@code kafka.clientPropertiesFile}, then the deprecated
   * {@code kafka.clientProperties}, then {@code kafka.client.<property>}.
   */
  public static Map<String, String> clientProperties(Settings s) {
    Map<String, String> out = new LinkedHashMap<>();
    String file = s.getString(Setting.KAFKA_CLIENT_PROPERTIES_FILE).trim();
    if (!file.isEmpty()) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            Setting.KAFKA_CLIENT_PROPERTIES_FILE.key()
                + ": cannot read "
                + file
                + ": "
                + e.getMessage());
      }
      p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k)));
    }
    Map<String, String> legacy = parseProperties(s.getString(Setting.KAFKA_CLIENT_PROPERTIES));
    if (!legacy.isEmpty()) {
      LOG.warn(
          "{} is deprecated (it splits on ';'): use {}<property> settings or {}",
          Setting.KAFKA_CLIENT_PROPERTIES.key(),
          Setting.KAFKA_CLIENT_PREFIX,
          Setting.KAFKA_CLIENT_PROPERTIES_FILE.key());
      out.putAll(legacy);
    }
    out.putAll(s.withPrefix(Setting.KAFKA_CLIENT_PREFIX));
    return out;
  }

  /** {@code k=v;k=v} (also comma- or newline-separated) to a map; blank parts are skipped. */
  static Map<String, String> parseProperties(String s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s == null) {
      return out;
    }
    for (String part : s.split("[;\\n]")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            Setting.KAFKA_CLIENT_PROPERTIES.key()
                + ": expected key=value, got '"
                + part.trim()
                + "'");
      }
      out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    return out;
  }

  private Map<String, Object> common() {
    Map<String, Object> c = new HashMap<>(clientProperties);
    c.put("bootstrap.servers", bootstrapServers);
    return c;
  }

  public Map<String, Object> adminConfig() {
    return common();
  }

  /**
   * Consumer of the input topic for ingest instance {@code instance}: {@code byte[]} keys and
   * values.
   */
  public Map<String, Object> consumerConfig(int instance) {
    Map<String, Object> c = common();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-ingest-" + instance);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    return c;
  }

  /** The idempotent producer of the at-least-once outputs: {@code byte[]} keys and values. */
  public Map<String, Object> outputProducerConfig(String clientId) {
    Map<String, Object> c = producerConfig(clientId);
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return c;
  }

  /**
   * The idempotent producer of the demo feed and the benchmark: {@code String} keys, {@code byte[]}
   * values.
   */
  public Map<String, Object> producerConfig(String clientId) {
    Map<String, Object> c = common();
    c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    c.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    c.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 << 10));
    return c;
  }

  /** The transactional producer of ingest instance {@code instance} (exactly-once mode). */
  public Map<String, Object> transactionalProducerConfig(int instance) {
    Map<String, Object> c = outputProducerConfig(groupId + "-publish-" + instance);
    c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(instance));
    c.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
    return c;
  }

  /** {@code <prefix>-<instance>}; the prefix defaults to {@code <group.id>-<host name>}. */
  public String transactionalId(int instance) {
    String prefix =
        transactionalIdPrefix.isEmpty() ? groupId + "-" + hostName() : transactionalIdPrefix;
    return prefix + "-" + instance;
  }

  private static String hostName() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }
}
