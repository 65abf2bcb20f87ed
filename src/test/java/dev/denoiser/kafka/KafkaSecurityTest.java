package dev.denoiser.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.kafka.embedded.EmbeddedKafka;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka role against a real broker that only takes SASL/PLAIN clients: the security settings
 * reach every client as {@code kafka.client.<property>} settings (with a {@code ;} inside the
 * password, which the old {@code kafka.clientProperties} could not carry) or from {@code
 * kafka.clientPropertiesFile}; a wrong password fails the start-up with Kafka's reason; a key that
 * is not UTF-8 comes out on the output topic byte for byte; the clients' own metrics are on {@code
 * /metrics}; the topic settings reach the topics created.
 */
@Timeout(180)
@Tag("slow")
class KafkaSecurityTest {
  static final String PASSWORD = "fr4mes;and=more";
  static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required "
          + "user_admin=\"admin-secret\" user_denoiser=\""
          + PASSWORD
          + "\";";
  static final byte[] KEY = {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0x80, 'c', 'a', 'm'};
  @TempDir static Path tmp;
  static EmbeddedKafka broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = EmbeddedKafka.start(tmp.resolve("kafka"), 0, JAAS);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /** The client properties of a SASL/PLAIN client. */
  static Map<String, Object> sasl(String password) {
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", broker.saslBootstrapServers());
    c.put("security.protocol", "SASL_PLAINTEXT");
    c.put("sasl.mechanism", "PLAIN");
    c.put("sasl.jaas.config", jaas("denoiser", password));
    return c;
  }

  static JsonObject names(String test) {
    String s = test + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new JsonObject()
        .put(Setting.KAFKA_ENABLED.key(), true)
        .put(Setting.KAFKA_BOOTSTRAP_SERVERS.key(), broker.saslBootstrapServers())
        .put(Setting.KAFKA_TOPIC_NOISY.key(), "noisy." + s)
        .put(Setting.KAFKA_TOPIC_DENOISED.key(), "denoised." + s)
        .put(Setting.KAFKA_TOPIC_LATENT.key(), "latent." + s)
        .put(Setting.KAFKA_TOPIC_DLQ.key(), "dlq." + s)
        .put(Setting.KAFKA_TOPIC_MODELS.key(), "")
        .put(Setting.KAFKA_GROUP_ID.key(), "group." + s)
        .put(Setting.KAFKA_TOPIC_PARTITIONS.key(), 2)
        .put(Setting.KAFKA_STATS_INTERVAL_MS.key(), 0);
  }

  static JsonObject saslSettings(String password) {
    return new JsonObject()
        .put("kafka.client.security.protocol", "SASL_PLAINTEXT")
        .put("kafka.client.sasl.mechanism", "PLAIN")
        .put("kafka.client.sasl.jaas.config", jaas("denoiser", password));
  }

  @Test
  void framesFlowThroughSaslPlainWithBinaryKeysAndClientMetricsOnMetrics() throws Exception {
    Path models = TestModels.write(tmp.resolve("models-a"), "conv-upsample", 1, 11).getParent();
    JsonObject names =
        names("sasl").mergeIn(saslSettings(PASSWORD)).put(Setting.KAFKA_TOPIC_REPLICATION.key(), 1);
    try (ServiceHarness svc = ServiceHarness.start(models, names)) {
      byte[] png = Files.readAllBytes(repo().resolve("examples/noisy-digit.png"));
      produce(names.getString(Setting.KAFKA_TOPIC_NOISY.key()), KEY, png, "conv-upsample");
      ConsumerRecord<byte[], byte[]> out =
          readOne(names.getString(Setting.KAFKA_TOPIC_DENOISED.key()));
      assertArrayEquals(KEY, out.key(), "the key comes out byte for byte");
      assertEquals("image/png", KafkaHeaders.text(out.headers(), KafkaHeaders.CONTENT_TYPE));
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(out.value()));
      assertEquals(28, img.getWidth());
      assertEquals(28, img.getHeight());

      try (Admin admin = Admin.create(sasl(PASSWORD))) {
        TopicDescription d =
            admin
                .describeTopics(Set.of(names.getString(Setting.KAFKA_TOPIC_NOISY.key())))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .values()
                .iterator()
                .next();
        assertEquals(2, d.partitions().size());
        assertEquals(1, d.partitions().get(0).replicas().size(), "kafka.topic.replicationFactor");
      }

      String metrics = get("http://127.0.0.1:" + svc.port() + "/metrics");
      for (String name :
          List.of(
              "kafka_consumer_fetch_manager_records_lag_max",
              "kafka_consumer_fetch_manager_records_consumed_total",
              "kafka_producer_record_send_total")) {
        assertTrue(
            metrics.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " ")),
            name + " is on /metrics");
      }
    }
  }

  @Test
  void clientPropertiesFileCarriesTheSecuritySettings() throws Exception {
    Path models = TestModels.write(tmp.resolve("models-b"), "conv-upsample", 1, 11).getParent();
    Path props = tmp.resolve("client.properties");
    java.util.Properties p = new java.util.Properties();
    p.setProperty("security.protocol", "SASL_PLAINTEXT");
    p.setProperty("sasl.mechanism", "PLAIN");
    p.setProperty("sasl.jaas.config", jaas("denoiser", PASSWORD));
    try (var w = Files.newBufferedWriter(props)) {
      p.store(w, "test");
    }
    JsonObject names =
        names("file").put(Setting.KAFKA_CLIENT_PROPERTIES_FILE.key(), props.toString());
    try (ServiceHarness svc = ServiceHarness.start(models, names)) {
      produce(
          names.getString(Setting.KAFKA_TOPIC_NOISY.key()),
          "k".getBytes(StandardCharsets.UTF_8),
          Files.readAllBytes(repo().resolve("examples/noisy-digit.png")),
          "conv-upsample");
      assertArrayEquals(
          "k".getBytes(StandardCharsets.UTF_8),
          readOne(names.getString(Setting.KAFKA_TOPIC_DENOISED.key())).key());
    }
  }

  @Test
  void aWrongPasswordFailsTheStartUpWithKafkasReason() {
    Path models = TestModels.write(tmp.resolve("models-c"), "conv-upsample", 1, 11).getParent();
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                ServiceHarness.start(models, names("wrong").mergeIn(saslSettings("nope"))).close());
    String all = chain(e);
    assertTrue(
        all.contains(
            "Kafka at "
                + broker.saslBootstrapServers()
                + ": SaslAuthenticationException: Authentication failed: Invalid username or password"),
        "Kafka's reason, in one line: " + all);
  }

  @Test
  void withoutAutoCreateMissingTopicsFailTheStartUpByName() {
    Path models = TestModels.write(tmp.resolve("models-d"), "conv-upsample", 1, 11).getParent();
    JsonObject names =
        names("nocreate")
            .mergeIn(saslSettings(PASSWORD))
            .put(Setting.KAFKA_TOPIC_AUTO_CREATE.key(), false);
    Exception e = assertThrows(Exception.class, () -> ServiceHarness.start(models, names).close());
    String all = chain(e);
    assertTrue(
        all.contains("missing topics")
            && all.contains(names.getString(Setting.KAFKA_TOPIC_NOISY.key()))
            && all.contains("kafka.topic.autoCreate"),
        all);
  }

  @Test
  void aReplicationFactorTheClusterCannotHaveIsRefused() {
    Path models = TestModels.write(tmp.resolve("models-e"), "conv-upsample", 1, 11).getParent();
    JsonObject names =
        names("rf").mergeIn(saslSettings(PASSWORD)).put(Setting.KAFKA_TOPIC_REPLICATION.key(), 2);
    Exception e = assertThrows(Exception.class, () -> ServiceHarness.start(models, names).close());
    String all = chain(e);
    assertTrue(all.contains("cannot create topic") && all.contains("eplication factor"), all);
  }

  static String chain(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable x = t; x != null; x = x.getCause()) {
      sb.append(x).append(" | ");
    }
    return sb.toString();
  }

  static void produce(String topic, byte[] key, byte[] value, String model) throws Exception {
    Map<String, Object> c = sasl(PASSWORD);
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(c)) {
      RecordHeaders h = new RecordHeaders();
      h.add(KafkaHeaders.CONTENT_TYPE, "image/png".getBytes(StandardCharsets.UTF_8));
      h.add(KafkaHeaders.MODEL, model.getBytes(StandardCharsets.UTF_8));
      p.send(new ProducerRecord<>(topic, null, key, value, h)).get(30, TimeUnit.SECONDS);
    }
  }

  static ConsumerRecord<byte[], byte[]> readOne(String topic) {
    Map<String, Object> c = sasl(PASSWORD);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (got.isEmpty() && System.nanoTime() < end) {
        consumer.poll(Duration.ofMillis(500)).forEach(got::add);
      }
      assertTrue(!got.isEmpty(), "an output on " + topic + " within 90 s");
      return got.get(0);
    }
  }

  static String get(String url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  static Path repo() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("pom.xml"))) {
      p = p.getParent();
    }
    return p;
  }
}
