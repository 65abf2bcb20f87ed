package dev.denoiser.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.cli.Main;
import dev.denoiser.kafka.embedded.EmbeddedKafka;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loadgen kafka} against a real service on a real embedded broker: it stops by itself,
 * matches every denoised record to its frame, counts dead letters as errors by code, and writes its
 * CSV row.
 */
@Timeout(180)
@Tag("slow")
class KafkaLoadCommandTest {
  @TempDir static Path dir;
  static EmbeddedKafka broker;
  static ServiceHarness svc;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    TestModels.write(dir.resolve("models"), "conv-upsample", 1, 3);
    svc =
        ServiceHarness.start(
            dir.resolve("models"),
            new JsonObject()
                .put("kafka.enabled", true)
                .put("kafka.bootstrap.servers", broker.bootstrapServers())
                .put("kafka.topic.noisy", "lg.noisy")
                .put("kafka.topic.denoised", "lg.denoised")
                .put("kafka.topic.latent", "lg.latent")
                .put("kafka.topic.dlq", "lg.dlq")
                .put("kafka.group.id", "lg")
                .put("kafka.topic.partitions", 4)
                .put("kafka.statsIntervalMillis", 0));
  }

  @AfterAll
  static void stop() throws Exception {
    svc.close();
    broker.close();
  }

  static int run(Path csv, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "loadgen",
                "kafka",
                "--bootstrap",
                broker.bootstrapServers(),
                "--input-topic",
                "lg.noisy",
                "--output-topic",
                "lg.denoised",
                "--dlq-topic",
                "lg.dlq",
                "--group",
                "lg",
                "--streams",
                "4",
                "--rate",
                "25",
                "--warmup",
                "300ms",
                "--duration",
                "2s",
                "--p99-slo-ms",
                "60000",
                "--csv",
                csv.toString()));
    args.addAll(List.of(extra));
    return Main.run(args.toArray(String[]::new));
  }

  static String[] row(Path csv, int i) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    assertEquals(LoadReport.CSV_HEADER, lines.get(0));
    return lines.get(i).split(",", -1);
  }

  @Test
  void everyFrameIsMatchedToItsDenoisedRecordAndTheRunEndsByItself() throws Exception {
    Path csv = dir.resolve("ok.csv");
    assertEquals(0, run(csv, "--size", "32"), "all answered, p99 within the (loose) objective");
    String[] f = row(csv, 1);
    assertEquals("kafka", f[0]);
    assertEquals("32x32", f[1]);
    long sent = Long.parseLong(f[6]);
    assertTrue(sent >= 4 * 25 * 2, "frames sent over warm-up and duration: " + sent);
    assertEquals(sent, Long.parseLong(f[7]), "every frame answered");
    assertEquals("0", f[9], "nothing unanswered");
    assertEquals("0", f[10], "no errors");
    assertEquals("0", f[17], "no duplicates");
    assertTrue(Long.parseLong(f[18]) >= 0, "the group's lag was sampled");
  }

  @Test
  void deadLettersAreErrorsAndEachFrameIsCountedOnce() throws Exception {
    Path csv = dir.resolve("dlq.csv");
    assertEquals(
        3,
        run(csv, "--model", "no-such-model", "--max-frames", "5"),
        "refused frames make the verdict NOT ok");
    String[] f = row(csv, 1);
    assertEquals("20", f[6], "--max-frames per stream bounds the run");
    assertEquals("0", f[7], "nothing denoised");
    assertEquals("20", f[10], "every frame came back as a dead letter");
    assertEquals("0", f[9]);
  }

  @Test
  void aMissingTopicIsAOneLineError() throws Exception {
    assertEquals(
        2,
        Main.run(
            "loadgen",
            "kafka",
            "--bootstrap",
            broker.bootstrapServers(),
            "--input-topic",
            "no.such.topic",
            "--duration",
            "1s",
            "--csv",
            dir.resolve("none.csv").toString()));
    assertTrue(!Files.exists(dir.resolve("none.csv")));
  }
}
