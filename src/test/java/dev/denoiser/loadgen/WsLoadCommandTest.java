package dev.denoiser.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.cli.Main;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code loadgen ws} against a real service: it stops by itself and writes its CSV row. */
@Tag("slow")
class WsLoadCommandTest {
  @Test
  void shortRunAnswersEveryFrameAndAppendsCsvRows(@TempDir Path dir) throws Exception {
    TestModels.write(dir.resolve("models"), "conv-upsample", 1, 3);
    Path csv = dir.resolve("out").resolve("ws.csv");
    try (ServiceHarness svc = ServiceHarness.start(dir.resolve("models"), new JsonObject())) {
      for (String mode : new String[] {"live", "lossless"}) {
        int code =
            Main.run(
                "loadgen",
                "ws",
                "--url",
                "ws://127.0.0.1:" + svc.port() + "/v1/stream",
                "--mode",
                mode,
                "--clients",
                "3",
                "--rate",
                "20",
                "--warmup",
                "200ms",
                "--duration",
                "1s",
                "--csv",
                csv.toString());
        assertTrue(code == 0 || code == 3, "exit code " + code + " is a verdict, not a failure");
      }
    }
    List<String> lines = Files.readAllLines(csv);
    assertEquals(3, lines.size(), "header and one row per run");
    assertEquals(LoadReport.CSV_HEADER, lines.get(0));
    for (String row : lines.subList(1, 3)) {
      String[] f = row.split(",");
      assertEquals("ws", f[0]);
      assertTrue(Long.parseLong(f[6]) > 0, "frames sent: " + row);
      assertEquals(
          f[6],
          String.valueOf(Long.parseLong(f[7]) + Long.parseLong(f[8])),
          "answered + dropped = sent: " + row);
      assertEquals("0", f[9], "nothing unanswered: " + row);
      assertEquals("0", f[10], "no errors: " + row);
    }
  }

  @Test
  void refusedConnectionsAreCountedAsErrors(@TempDir Path dir) throws Exception {
    TestModels.write(dir.resolve("models"), "conv-upsample", 1, 3);
    Path csv = dir.resolve("ws.csv");
    try (ServiceHarness svc =
        ServiceHarness.start(
            dir.resolve("models"), new JsonObject().put("stream.maxConnections", 1))) {
      int code =
          Main.run(
              "loadgen",
              "ws",
              "--url",
              "ws://127.0.0.1:" + svc.port() + "/v1/stream",
              "--clients",
              "2",
              "--rate",
              "10",
              "--warmup",
              "0s",
              "--duration",
              "300ms",
              "--csv",
              csv.toString());
      assertEquals(3, code, "a refused client makes the verdict NOT ok");
    }
    String[] f = Files.readAllLines(csv).get(1).split(",");
    assertEquals("1", f[10], "one refused connection");
  }
}
