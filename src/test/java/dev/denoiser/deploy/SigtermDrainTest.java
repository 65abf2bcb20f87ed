package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a real {@code serve} JVM while ONNX Runtime runs a 2048x2048 frame through the shipped
 * {@code natural-gray} model: the JVM drains (the running frame is answered, a queued one is
 * answered or refused with SHUTTING_DOWN), closes the sessions, and exits 0 without a crash report.
 * Before the fix the drain ran in a shutdown hook next to ONNX Runtime's own hook, which closed the
 * native environment under the running batch (SIGSEGV).
 */
@Tag("slow")
@Timeout(600)
class SigtermDrainTest {
  static final int SIDE = 2048;

  @Test
  void sigtermWithALargeFrameInFlightDrainsAndExitsZero(@TempDir Path tmp) throws Exception {
    Path models = tmp.resolve("models");
    copyDir(Repo.root().resolve("models").resolve("natural-gray"), models.resolve("natural-gray"));
    Path crashDir = Files.createDirectories(tmp.resolve("crash"));
    List<String> args =
        List.of(
            "serve",
            "--models-dir",
            models.toString(),
            "--set",
            "http.port=0",
            "--set",
            "http.host=127.0.0.1",
            "--set",
            "kafka.enabled=false",
            "--set",
            "models.watchIntervalMillis=0",
            "--set",
            "batching.maxBatchSize=1",
            "--set",
            "batching.deadlineMillis=600000",
            "--set",
            "http.shutdownGraceMillis=240000",
            "--set",
            "models.signature.keyDir=" + tmp.resolve("keys"));
    try (JvmProcess p =
        JvmProcess.start(
            "sigterm",
            ServeLogs.dir().resolve("sigterm-drain.log"),
            List.of("-Xmx1g", "-XX:ErrorFile=" + crashDir.resolve("hs_err_pid%p.log")),
            args)) {
      int port =
          Integer.parseInt(p.await("serving \\d+ model\\(s\\) .* on http://[^:]+:(\\d+)", 240));
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      byte[] frame = new byte[SIDE * SIDE];
      new java.util.Random(7).nextBytes(frame);
      List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        inFlight.add(
            http.sendAsync(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + port
                                + "/v1/models/natural-gray/denoise?width="
                                + SIDE
                                + "&height="
                                + SIDE))
                    .header("Content-Type", "application/x-gray8")
                    .timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(frame))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      // one frame in the ONNX Runtime run (batches of one), the other queued behind it
      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> pending(http, port) >= 1);
      assertTrue(
          inFlight.stream().noneMatch(CompletableFuture::isDone),
          "both frames still in flight at SIGTERM");
      int exit = p.stop(300);
      String log = Files.readString(p.log);
      assertEquals(0, exit, "exit code after SIGTERM; see " + p.log);
      try (Stream<Path> s = Files.list(crashDir)) {
        assertEquals(List.of(), s.toList(), "no JVM crash report");
      }
      assertTrue(log.contains("drained and closed"), "the drain completed before the exit");
      int answered = 0;
      for (CompletableFuture<HttpResponse<String>> f : inFlight) {
        HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
        if (r.statusCode() == 200) {
          answered++;
        } else {
          assertEquals(503, r.statusCode(), r.body());
          assertEquals("SHUTTING_DOWN", new JsonObject(r.body()).getString("code"), r.body());
        }
      }
      assertTrue(answered >= 1, "the frame that was running when SIGTERM came is answered");
    }
  }

  static double pending(HttpClient http, int port) throws IOException, InterruptedException {
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m =
        Pattern.compile(
                "(?m)^nv_inference_pending_request_count\\{model=\"natural-gray\"[^}]*} (\\S+)$")
            .matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  static void copyDir(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  /** Where the child JVMs of these tests write their logs. */
  static final class ServeLogs {
    static Path dir() {
      return Repo.root().resolve("target").resolve("sigterm");
    }
  }
}
