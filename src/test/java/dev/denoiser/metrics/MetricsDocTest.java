package dev.denoiser.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestKafka;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every meter the service exposes on {@code /metrics} is in docs/metrics.md: the service runs with
 * its Kafka role, serves good and bad frames over HTTP and Kafka, and each of its own meter names
 * ({@code nv_*}, {@code denoiser_*}) must appear in the page, and the Kafka clients' meters by
 * their documented families. The page must not claim that Triton dashboards work as they are.
 */
@Timeout(180)
@Tag("slow")
class MetricsDocTest {
  static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*)?\\s.*$");
  @TempDir Path tmp;

  @Test
  void everyMeterOnMetricsIsDocumented() throws Exception {
    String doc = Files.readString(repo().resolve("docs/metrics.md"));
    assertTrue(
        !doc.toLowerCase().contains("dashboards carry over") && doc.contains("do not carry over"),
        "no claim that Triton dashboards carry over");
    Path models = TestModels.write(tmp.resolve("models"), "conv-upsample", 1, 11).getParent();
    JsonObject names = TestKafka.names("metrics-doc").put(Setting.KAFKA_TOPIC_MODELS.key(), "");
    try (ServiceHarness svc = ServiceHarness.start(models, names)) {
      byte[] png = Files.readAllBytes(repo().resolve("examples/noisy-digit.png"));
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + svc.port();
      assertEquals(200, post(http, base + "/v1/models/conv-upsample/denoise", png).statusCode());
      assertEquals(
          400,
          post(http, base + "/v1/models/conv-upsample/denoise", new byte[] {1, 2, 3}).statusCode());
      try (KafkaProducer<String, byte[]> p = TestKafka.producer()) {
        TestKafka.send(
            p,
            names.getString(Setting.KAFKA_TOPIC_NOISY.key()),
            "k",
            png,
            TestKafka.headers(
                KafkaHeaders.CONTENT_TYPE, "image/png", KafkaHeaders.MODEL, "conv-upsample"));
        TestKafka.send(
            p,
            names.getString(Setting.KAFKA_TOPIC_NOISY.key()),
            "k",
            new byte[] {9},
            TestKafka.headers(KafkaHeaders.CONTENT_TYPE, "image/png"));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> scrape(http, base).contains("denoiser_kafka_dead_letters_total{"));
      Set<String> undocumented = new TreeSet<>();
      Set<String> seen = new TreeSet<>();
      for (String line : scrape(http, base).lines().toList()) {
        Matcher m = SAMPLE.matcher(line);
        if (line.startsWith("#") || !m.matches()) {
          continue;
        }
        String name = m.group(1);
        if (name.startsWith("kafka_consumer_") || name.startsWith("kafka_producer_")) {
          String family =
              name.startsWith("kafka_consumer_") ? "kafka_consumer_*" : "kafka_producer_*";
          seen.add(family);
          if (!doc.contains("`" + family + "`")) {
            undocumented.add(family);
          }
        } else if (name.startsWith("nv_") || name.startsWith("denoiser_")) {
          seen.add(name);
          String base2 = name.replaceAll("_(bucket|count|sum|max)$", "");
          if (!doc.contains("`" + name + "`") && !doc.contains("`" + base2 + "`")) {
            undocumented.add(name);
          }
        }
      }
      assertTrue(
          seen.containsAll(
              List.of(
                  "kafka_consumer_*",
                  "kafka_producer_*",
                  "nv_inference_count_total",
                  "denoiser_kafka_consumed_total")),
          "the meters were scraped: " + seen);
      assertEquals(Set.of(), undocumented, "meters on /metrics that docs/metrics.md does not list");
    }
  }

  static HttpResponse<String> post(HttpClient http, String url, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "image/png")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String scrape(HttpClient http, String base) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static Path repo() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("pom.xml"))) {
      p = p.getParent();
    }
    return p;
  }
}
