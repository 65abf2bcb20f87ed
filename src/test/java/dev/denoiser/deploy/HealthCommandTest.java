package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.denoiser.cli.HealthCommand;
import dev.denoiser.cli.Main;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes of the manifests and the image's health check against a real service: every probe path
 * answers 200 from the service's router, {@code health} exits 0 for a ready service and 1 for one
 * without a model or not running at all.
 */
class HealthCommandTest {
  @Test
  void everyProbePathAndTheHealthCommandAnswerOnAServingReplica(@TempDir Path dir)
      throws Exception {
    TestModels.write(dir, "conv-upsample", 1, 5);
    Set<String> paths = new TreeSet<>();
    for (String o : KubernetesManifestsTest.OVERLAYS) {
      Container c = new RenderedOverlay(Repo.file(o)).container();
      Stream.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe())
          .filter(Objects::nonNull)
          .map(Probe::getHttpGet)
          .forEach(g -> paths.add(g.getPath()));
    }
    assertEquals(Set.of(HealthCommand.READY, HealthCommand.LIVE), paths);
    int port;
    try (ServiceHarness svc = ServiceHarness.start(dir, new JsonObject())) {
      port = svc.port();
      for (String path : paths) {
        assertEquals(
            200,
            HealthCommand.status(
                URI.create("http://127.0.0.1:" + port + path), Duration.ofSeconds(5)),
            path);
      }
      assertNotEquals(
          200,
          HealthCommand.status(
              URI.create("http://127.0.0.1:" + port + "/v2/health/nope"), Duration.ofSeconds(5)),
          "a path the router does not have fails");
      assertEquals(0, Main.run("health", "--port", Integer.toString(port)));
      assertEquals(0, Main.run("health", "--port", Integer.toString(port), "--live"));
    }
    assertEquals(
        1,
        Main.run("health", "--port", Integer.toString(port), "--timeout-ms", "1000"),
        "nothing listens any more");
  }

  @Test
  void aReplicaWithoutAModelIsLiveButNotReady(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectories(dir.resolve("models"));
    try (ServiceHarness svc = ServiceHarness.start(empty, new JsonObject())) {
      String port = Integer.toString(svc.port());
      assertEquals(1, Main.run("health", "--port", port));
      assertEquals(0, Main.run("health", "--port", port, "--live"));
    }
  }

  @Test
  void thePortComesFromTheHttpPortVariableUnlessGiven() {
    HealthCommand h = new HealthCommand();
    h.host = "127.0.0.1";
    assertEquals("http://127.0.0.1:8080/v2/health/ready", h.uri(Map.of()).toString());
    assertEquals(
        "http://127.0.0.1:9191/v2/health/ready",
        h.uri(Map.of("DENOISER_HTTP_PORT", "9191")).toString());
    h.port = 7070;
    h.live = true;
    assertEquals(
        "http://127.0.0.1:7070/v2/health/live",
        h.uri(Map.of("DENOISER_HTTP_PORT", "9191")).toString());
  }
}
