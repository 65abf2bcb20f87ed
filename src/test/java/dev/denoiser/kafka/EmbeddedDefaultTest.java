package dev.denoiser.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestKafka;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no kafka.bootstrap.servers the service runs its own broker and the demo feed, and stops both
 * on drain.
 */
@Timeout(120)
@Tag("slow")
class EmbeddedDefaultTest {
  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  @Test
  void serveStartsABrokerAndTheDemoFeedAndStopsThemOnDrain(@TempDir Path models, @TempDir Path data)
      throws Exception {
    TestModels.write(models, "conv-upsample", 1, 23);
    int port = freePort();
    JsonObject cfg =
        new JsonObject()
            .put(Setting.KAFKA_ENABLED.key(), true)
            .put(Setting.KAFKA_EMBEDDED_PORT.key(), port)
            .put(Setting.KAFKA_EMBEDDED_DIR.key(), data.resolve("kafka").toString())
            .put(Setting.KAFKA_DEMO_RATE.key(), 200)
            .put(Setting.KAFKA_STATS_INTERVAL_MS.key(), 1000);
    ServiceHarness svc = ServiceHarness.start(models, cfg);
    try {
      List<ConsumerRecord<String, byte[]>> out =
          TestKafka.read(
              "127.0.0.1:" + port,
              "frames.denoised",
              false,
              l -> l.size() >= 40,
              false,
              Duration.ofSeconds(60));
      assertTrue(out.size() >= 40, "the demo feed's digits come out denoised");
      for (ConsumerRecord<String, byte[]> r : out) {
        assertTrue(r.key().startsWith("demo-"), r.key());
        assertEquals("application/x-gray8", TestKafka.header(r, KafkaHeaders.CONTENT_TYPE));
        assertEquals(28 * 28, r.value().length);
      }
      assertTrue(svc.metered.registry().counter("denoiser_kafka_published").count() >= 40);
    } finally {
      svc.close();
    }
    assertTrue(
        Files.exists(data.resolve("kafka").resolve("meta.properties")),
        "the broker keeps its data in kafka.embedded.dataDir");
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertEquals(
          port, s.getLocalPort(), "the broker stopped with the service and freed its port");
    }
  }
}
