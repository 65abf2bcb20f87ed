package dev.denoiser.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestKafka;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients this project did not write, against the running service (HTTP, WebSocket and its Kafka
 * role on the test broker): the Python examples of {@code examples/python} with Debian's {@code
 * requests}, {@code websockets} and {@code confluent-kafka}, and {@code kcat} producing a frame to
 * the input topic and consuming the denoised reply. Missing tools fail the test.
 */
@Timeout(240)
@Tag("slow")
class RealClientsTest {
  static final String MODEL = "conv-upsample";
  @TempDir static Path tmp;
  static ServiceHarness svc;
  static JsonObject names;
  static Path repo;

  @BeforeAll
  static void start() throws Exception {
    repo = repo();
    Path models = TestModels.write(tmp.resolve("models"), MODEL, 1, 11).getParent();
    names = TestKafka.names("clients").put(Setting.KAFKA_TOPIC_MODELS.key(), "");
    svc = ServiceHarness.start(models, names);
  }

  @AfterAll
  static void stop() throws Exception {
    if (svc != null) {
      svc.close();
    }
  }

  static String topic(Setting s) {
    return names.getString(s.key());
  }

  @Test
  void pythonRequestsDenoisesThePngOverHttp() throws Exception {
    Tool.requirePythonModules(repo, "python3-requests", "requests");
    Path out = tmp.resolve("http-denoised.png");
    Tool t =
        Tool.run(
            repo,
            Duration.ofSeconds(120),
            List.of(
                Tool.python(),
                "examples/python/http_client.py",
                "--url",
                "http://127.0.0.1:" + svc.port(),
                "--model",
                MODEL,
                "--image",
                "examples/noisy-digit.png",
                "--out",
                out.toString()));
    assertEquals(0, t.exit(), t.out() + t.stderr());
    assertTrue(
        t.out()
            .contains(
                "status=200 model=" + MODEL + " version=1 width=28 height=28 frame=python-http-1"),
        t.out());
    BufferedImage img = ImageIO.read(out.toFile());
    assertEquals(28, img.getWidth());
    assertEquals(28, img.getHeight());
  }

  @Test
  void pythonWebsocketsStreamsFramesAndReadsTheBinaryReplies() {
    Tool.requirePythonModules(repo, "python3-websockets", "websockets");
    Tool t =
        Tool.run(
            repo,
            Duration.ofSeconds(120),
            List.of(
                Tool.python(),
                "examples/python/ws_client.py",
                "--url",
                "ws://127.0.0.1:" + svc.port(),
                "--model",
                MODEL,
                "--frames",
                "5"));
    assertEquals(0, t.exit(), t.out() + t.stderr());
    for (int i = 0; i < 5; i++) {
      assertTrue(
          t.out().contains("seq=" + i + " width=28 height=28 version=1 latent_dim="), t.out());
      assertTrue(t.out().contains("frame=py-" + i + " payload=784"), t.out());
    }
    assertTrue(t.out().contains("replies=5 errors=0"), t.out());
  }

  @Test
  void pythonConfluentKafkaGetsTheDenoisedFrameOfItsRecord() {
    Tool.requirePythonModules(repo, "python3-confluent-kafka", "confluent_kafka");
    Tool t =
        Tool.run(
            repo,
            Duration.ofSeconds(150),
            List.of(
                Tool.python(),
                "examples/python/kafka_client.py",
                "--bootstrap",
                bootstrap(),
                "--input-topic",
                topic(Setting.KAFKA_TOPIC_NOISY),
                "--output-topic",
                topic(Setting.KAFKA_TOPIC_DENOISED),
                "--model",
                MODEL,
                "--key",
                "camera-py",
                "--timeout",
                "90"));
    assertEquals(0, t.exit(), t.out() + t.stderr());
    assertTrue(
        t.out()
            .matches(
                "(?s)key=camera-py frame=py-kafka-\\w+ model="
                    + MODEL
                    + " version=1 content-type=image/png bytes=\\d+\\s*"),
        t.out());
  }

  @Test
  void kcatProducesAFrameAndConsumesTheDenoisedReply() throws Exception {
    String frameId = "kcat-" + UUID.randomUUID().toString().substring(0, 8);
    Tool p =
        Tool.run(
            repo,
            Duration.ofSeconds(60),
            List.of(
                "kcat",
                "-b",
                bootstrap(),
                "-P",
                "-t",
                topic(Setting.KAFKA_TOPIC_NOISY),
                "-k",
                "camera-kcat",
                "-H",
                "content-type=image/png",
                "-H",
                "model=" + MODEL,
                "-H",
                "frame-id=" + frameId,
                "examples/noisy-digit.png"));
    assertEquals(0, p.exit(), "kcat -P: " + p.stderr());

    // the reply's coordinates and headers, found by its frame-id
    Pattern line =
        Pattern.compile(
            "partition=(\\d+) offset=(\\d+) key=camera-kcat headers=(.*frame-id="
                + frameId
                + ".*)");
    AtomicReference<Matcher> found = new AtomicReference<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Tool c =
                  Tool.run(
                      repo,
                      Duration.ofSeconds(60),
                      List.of(
                          "kcat",
                          "-b",
                          bootstrap(),
                          "-C",
                          "-t",
                          topic(Setting.KAFKA_TOPIC_DENOISED),
                          "-o",
                          "beginning",
                          "-e",
                          "-q",
                          "-f",
                          "partition=%p offset=%o key=%k headers=%h\\n"));
              assertEquals(0, c.exit(), "kcat -C: " + c.stderr());
              return c.out()
                  .lines()
                  .map(line::matcher)
                  .filter(Matcher::matches)
                  .peek(found::set)
                  .findFirst()
                  .isPresent();
            });
    Matcher m = found.get();
    Map<String, String> headers = new java.util.HashMap<>();
    for (String kv : m.group(3).split(",")) {
      String[] parts = kv.split("=", 2);
      headers.put(parts[0], parts.length > 1 ? parts[1] : "");
    }
    assertEquals("image/png", headers.get("content-type"));
    assertEquals(MODEL, headers.get("model"));
    assertEquals("1", headers.get("model-version"));

    // the reply's value alone, as raw bytes: the denoised PNG
    Tool v =
        Tool.run(
            repo,
            Duration.ofSeconds(60),
            List.of(
                "kcat",
                "-b",
                bootstrap(),
                "-C",
                "-t",
                topic(Setting.KAFKA_TOPIC_DENOISED),
                "-p",
                m.group(1),
                "-o",
                m.group(2),
                "-c",
                "1",
                "-e",
                "-q",
                "-f",
                "%s"));
    assertEquals(0, v.exit(), v.stderr());
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(v.stdout()));
    assertTrue(img != null, "kcat's value is a PNG (" + v.stdout().length + " bytes)");
    assertEquals(28, img.getWidth());
    assertEquals(28, img.getHeight());
  }

  static String bootstrap() {
    return unchecked(() -> TestKafka.bootstrap());
  }

  interface Call<T> {
    T call() throws Exception;
  }

  static <T> T unchecked(Call<T> c) {
    try {
      return c.call();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Path repo() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("pom.xml"))) {
      p = p.getParent();
    }
    return p;
  }
}
