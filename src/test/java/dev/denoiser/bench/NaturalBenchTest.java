package dev.denoiser.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.cli.Main;
import dev.denoiser.data.NaturalImages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench natural} on tiny settings: the shipped natural-fast model at 160x120, one second per
 * path, against a real in-process service on a real embedded broker. Every path must carry frames
 * and none may fail; the table is written.
 */
class NaturalBenchTest {
  static final Path PHOTO = NaturalImages.defaultDir().resolve("skimage/astronaut.png");

  @Test
  @Tag("slow")
  @Timeout(600)
  void everyPathDenoisesFramesWithoutErrors(@TempDir Path dir) throws Exception {
    assertTrue(
        Files.isRegularFile(PHOTO), "missing " + PHOTO + ": run " + NaturalImages.FETCH_HINT);
    Path md = dir.resolve("bench-natural.md");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    NaturalBench.Size size = new NaturalBench.Size(160, 120);
    List<NaturalBench.Row> rows =
        new NaturalBench(
                new NaturalBench.Options(
                    Path.of("models"),
                    List.of("natural-fast"),
                    List.of(size),
                    PHOTO,
                    1,
                    0.5,
                    2,
                    2,
                    null,
                    false,
                    md),
                new PrintStream(log, true, StandardCharsets.UTF_8))
            .run();

    List<String> paths = rows.stream().map(NaturalBench.Row::path).toList();
    assertEquals(
        List.of(NaturalBench.RAW, NaturalBench.HTTP, NaturalBench.WEBSOCKET, NaturalBench.KAFKA),
        paths);
    for (NaturalBench.Row r : rows) {
      assertEquals("natural-fast", r.model());
      assertEquals(size, r.size());
      assertTrue(r.stats().frames() > 0, r.path() + " denoised no frame: " + log);
      assertEquals(0, r.stats().errors(), r.path() + " had errors: " + log);
      assertEquals(r.stats().framesPerSecond() * 160 * 120 / 1e6, r.megapixelsPerSecond(), 1e-9);
    }
    String table = Files.readString(md);
    assertTrue(
        table.contains(
            "| model | size | path | frames/s | megapixels/s | p50 ms | p99 ms | errors |"),
        table);
    assertEquals(
        4, table.lines().filter(l -> l.startsWith("| natural-fast | 160x120 |")).count(), table);
  }

  @Test
  void badArgumentsAreRefusedBeforeAnythingStarts() {
    assertNotEquals(0, Main.run("bench", "natural", "--sizes", "640by480"));
    assertNotEquals(0, Main.run("bench", "natural", "--models", "no-such-model"));
  }

  @Test
  void sizesParse() {
    assertEquals(new NaturalBench.Size(1920, 1080), NaturalBench.Size.parse(" 1920X1080"));
  }
}
