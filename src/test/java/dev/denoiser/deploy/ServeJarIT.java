package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.cli.BrokerCommand;
import dev.denoiser.cli.Main;
import dev.denoiser.testing.TestModels;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two packaged jars of {@code mvn package} (run after it, by failsafe): the serving jar is
 * small, carries no PyTorch, no Kafka broker and no Scala, and ONNX Runtime's linux-x86_64 natives
 * only; its command line lists only what it can run and sends the rest to the full jar; and,
 * started as its own JVM against a broker run by the full jar's {@code broker} command, it serves a
 * frame over HTTP and one over Kafka.
 */
@Timeout(900)
@Tag("slow")
class ServeJarIT {
  static final long MAX_BYTES = 70L << 20;
  @TempDir Path tmp;

  static Path serveJar() {
    Path p = Repo.root().resolve("target/stream-denoiser-serve.jar");
    assertTrue(Files.isRegularFile(p), p + " is built by mvn package");
    return p;
  }

  static Path fullJar() {
    Path p = Repo.root().resolve("target/stream-denoiser.jar");
    assertTrue(Files.isRegularFile(p), p + " is built by mvn package");
    return p;
  }

  @Test
  void theServingJarIsSmallAndHasNoPyTorchBrokerOrScalaAndLinuxX64NativesOnly() throws Exception {
    long size = Files.size(serveJar());
    System.out.printf(
        "stream-denoiser-serve.jar: %.1f MB; stream-denoiser.jar: %.1f MB%n",
        size / 1048576.0, Files.size(fullJar()) / 1048576.0);
    assertTrue(size < MAX_BYTES, "serving jar of " + size + " bytes, over " + MAX_BYTES);
    Set<String> natives = new TreeSet<>();
    List<String> forbidden = new ArrayList<>();
    try (ZipFile z = new ZipFile(serveJar().toFile())) {
      for (ZipEntry e : java.util.Collections.list(z.entries())) {
        String n = e.getName();
        if (n.startsWith("ai/djl/pytorch/")
            || n.startsWith("kafka/server/")
            || n.startsWith("scala/")
            || n.startsWith("pytorch/")
            || n.startsWith("native/lib/")) {
          forbidden.add(n);
        }
        if (n.startsWith("ai/onnxruntime/native/") && !e.isDirectory()) {
          natives.add(n.split("/")[3]);
        }
      }
      assertEquals(
          List.of(),
          forbidden.stream().limit(10).toList(),
          "entries that only the full jar may carry");
      assertEquals(Set.of("linux-x64"), natives, "ONNX Runtime natives");
      String engines =
          new String(
              z.getInputStream(z.getEntry("META-INF/services/ai.djl.engine.EngineProvider"))
                  .readAllBytes(),
              StandardCharsets.UTF_8);
      assertTrue(
          engines.contains("ai.djl.onnxruntime") && !engines.contains("pytorch"),
          "DJL engines: " + engines);
    }
  }

  @Test
  void itsCommandLineListsWhatItRunsAndSendsTheRestToTheFullJar() throws Exception {
    JvmProcess help =
        JvmProcess.startJar(
            "help",
            tmp.resolve("help.log"),
            List.of("-XX:TieredStopAtLevel=1"),
            serveJar(),
            List.of("--help"));
    assertEquals(0, help.waitFor(120));
    String usage = Files.readString(help.log);
    for (String c : List.of("serve", "loadgen", "health", "config", "prepare")) {
      assertTrue(
          usage.lines().anyMatch(l -> l.matches("\\s+" + c + "\\s.*")),
          c + " is listed:\n" + usage);
    }
    for (String c : Main.fullJarCommands()) {
      assertFalse(
          usage.lines().anyMatch(l -> l.matches("\\s+" + c + "\\s.*")),
          c + " is not listed:\n" + usage);
      JvmProcess p =
          JvmProcess.startJar(
              c,
              tmp.resolve(c + ".log"),
              List.of("-XX:TieredStopAtLevel=1"),
              serveJar(),
              List.of(c, "--help"));
      assertEquals(2, p.waitFor(120), c + " exits 2");
      String out = Files.readString(p.log);
      assertTrue(
          out.contains("'" + c + "' needs the full jar, stream-denoiser.jar")
              && !out.contains("Exception"),
          out);
    }
  }

  @Test
  void withoutABrokerAddressItStopsWithTheReason() throws Exception {
    Path models = TestModels.write(tmp.resolve("models"), "conv-upsample", 1, 11).getParent();
    JvmProcess p =
        JvmProcess.startJar(
            "serve",
            tmp.resolve("serve-alone.log"),
            List.of("-Xmx512m"),
            serveJar(),
            List.of("serve", "--set", "http.port=0", "--set", "models.dir=" + models));
    assertEquals(2, p.waitFor(180));
    String out = Files.readString(p.log);
    assertTrue(
        out.contains("kafka.bootstrap.servers is empty and this jar has no embedded broker"), out);
    assertFalse(out.contains("NoClassDefFoundError"), out);
  }

  @Test
  void itServesAFrameOverHttpAndKafkaWithTheFullJarsBroker() throws Exception {
    Path models = TestModels.write(tmp.resolve("models"), "conv-upsample", 1, 11).getParent();
    Path logs = Repo.root().resolve("target/serve-jar-it");
    try (JvmProcess broker =
        JvmProcess.startJar(
            "broker",
            logs.resolve("broker.log"),
            List.of("-Xmx512m"),
            fullJar(),
            List.of("broker", "--port", "0", "--data-dir", tmp.resolve("kafka").toString()))) {
      String bootstrap = broker.await(BrokerCommand.READY + "(\\S+)", 300);
      try (JvmProcess serve =
          JvmProcess.startJar(
              "serve",
              logs.resolve("serve.log"),
              List.of("-Xmx768m"),
              serveJar(),
              List.of(
                  "serve",
                  "--set",
                  "http.port=0",
                  "--set",
                  "http.host=127.0.0.1",
                  "--set",
                  "models.dir=" + models,
                  "--set",
                  "kafka.bootstrap.servers=" + bootstrap,
                  "--set",
                  "kafka.topic.partitions=2",
                  "--set",
                  "inference.intraOpThreads=1"))) {
        int port =
            Integer.parseInt(
                serve.await("serving \\d+ model\\(s\\) .* on http://[^:]+:(\\d+)", 400));
        byte[] png = Files.readAllBytes(Repo.root().resolve("examples/noisy-digit.png"));

        HttpResponse<byte[]> r =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create(
                                "http://127.0.0.1:" + port + "/v1/models/conv-upsample/denoise"))
                        .header("Content-Type", "image/png")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(png))
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertSize28(r.body());

        byte[] key = ("jar-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        Map<String, Object> pc =
            Map.of(
                "bootstrap.servers",
                bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(pc)) {
          RecordHeaders h = new RecordHeaders();
          h.add("content-type", "image/png".getBytes(StandardCharsets.UTF_8));
          h.add("model", "conv-upsample".getBytes(StandardCharsets.UTF_8));
          p.send(new ProducerRecord<>("frames.noisy", null, key, png, h)).get(60, TimeUnit.SECONDS);
        }
        Map<String, Object> cc =
            Map.of(
                "bootstrap.servers",
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cc)) {
          c.subscribe(List.of("frames.denoised"));
          ConsumerRecord<byte[], byte[]> out = null;
          long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
          while (out == null && System.nanoTime() < end) {
            for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(500))) {
              if (java.util.Arrays.equals(key, rec.key())) {
                out = rec;
              }
            }
          }
          assertTrue(out != null, "a denoised frame on frames.denoised; see " + serve.log);
          assertSize28(out.value());
        }
        String log = Files.readString(serve.log);
        assertFalse(
            log.contains("NoClassDefFoundError") || log.contains("ClassNotFoundException"), log);
      }
    }
  }

  static void assertSize28(byte[] png) throws Exception {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertTrue(img != null, "a PNG");
    assertEquals(28, img.getWidth());
    assertEquals(28, img.getHeight());
  }
}
