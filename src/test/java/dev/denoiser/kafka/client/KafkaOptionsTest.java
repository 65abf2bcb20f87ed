package dev.denoiser.kafka.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The role's settings and the client configurations built from them. */
class KafkaOptionsTest {
  @Test
  void clientsAreIdempotentManualCommitAndReadCommitted() {
    Settings s =
        Settings.of(
            new JsonObject()
                .put(
                    Setting.KAFKA_CLIENT_PROPERTIES.key(),
                    "security.protocol=SASL_SSL; sasl.mechanism=PLAIN")
                .put(Setting.KAFKA_GUARANTEE.key(), "exactly_once")
                .put(Setting.KAFKA_TRANSACTIONAL_ID.key(), "replica-a"));
    KafkaOptions o = KafkaOptions.from(s, "embedded:1");
    assertEquals(
        "embedded:1",
        o.bootstrapServers(),
        "the embedded broker's address when none is configured");
    assertEquals(KafkaOptions.Guarantee.EXACTLY_ONCE, o.guarantee());
    Map<String, Object> c = o.consumerConfig(0);
    assertEquals("false", c.get("enable.auto.commit"));
    assertEquals("read_committed", c.get("isolation.level"));
    assertEquals("SASL_SSL", c.get("security.protocol"));
    Map<String, Object> p = o.transactionalProducerConfig(2);
    assertEquals("all", p.get("acks"));
    assertEquals("true", p.get("enable.idempotence"));
    assertEquals("replica-a-2", p.get("transactional.id"));
    assertEquals("PLAIN", p.get("sasl.mechanism"));
  }

  @Test
  void aConfiguredClusterWinsAndTheDefaultTransactionalIdNamesGroupAndHost() {
    Settings s =
        Settings.of(new JsonObject().put(Setting.KAFKA_BOOTSTRAP_SERVERS.key(), "kafka-0:9092"));
    KafkaOptions o = KafkaOptions.from(s, "embedded:1");
    assertEquals("kafka-0:9092", o.bootstrapServers());
    assertEquals(KafkaOptions.Guarantee.AT_LEAST_ONCE, o.guarantee());
    assertTrue(o.transactionalId(1).startsWith("stream-denoiser-"), o.transactionalId(1));
    assertTrue(o.transactionalId(1).endsWith("-1"), o.transactionalId(1));
  }

  @Test
  void badValuesAreClearErrors() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                KafkaOptions.from(
                    Settings.of(new JsonObject().put(Setting.KAFKA_GUARANTEE.key(), "twice")),
                    "x:1"));
    assertTrue(e.getMessage().contains("kafka.processing.guarantee"));
    e = assertThrows(IllegalArgumentException.class, () -> KafkaOptions.parseProperties("acks"));
    assertTrue(e.getMessage().contains("key=value"));
  }
}
