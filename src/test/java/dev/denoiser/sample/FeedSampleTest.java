package dev.denoiser.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.frame.Frame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feed sample's bounds, selection, uniformity, meters and persistence. */
class FeedSampleTest {
  @TempDir Path tmp;

  /** A frame whose every pixel is {@code id / 255}, so the sample shows which frames it kept. */
  static Frame frame(int id, int h, int w) {
    float[] px = new float[h * w];
    java.util.Arrays.fill(px, (id % 256) / 255f);
    return new Frame(px, h, w, "cam", "f" + id);
  }

  @Test
  void offByDefault() {
    Settings s = Settings.defaultsOnly();
    assertEquals("", s.getString(Setting.FEED_SAMPLE_MODELS));
    FeedSample f = FeedSample.from(s, new SimpleMeterRegistry());
    assertTrue(f.models().none());
    assertFalse(f.samples("natural-gray"));
    assertFalse(f.offer("natural-gray", frame(1, 4, 4), 3));
    assertEquals(0, f.frames("natural-gray"));
    assertEquals(0, f.seen("natural-gray"));
  }

  @Test
  void modelsAreAStarAListOrNothing() {
    assertTrue(ModelSelection.parse("*").all());
    assertTrue(ModelSelection.parse("a, *").includes("anything"));
    ModelSelection list = ModelSelection.parse(" conv-upsample , natural-gray,,");
    assertEquals(Set.of("conv-upsample", "natural-gray"), list.names());
    assertTrue(list.includes("natural-gray"));
    assertFalse(list.includes("natural-rgb"));
    assertTrue(ModelSelection.parse("").none());
    assertTrue(ModelSelection.parse("  ").none());
    assertTrue(ModelSelection.parse(" , ").none());
    assertTrue(ModelSelection.parse(null).none());
  }

  @Test
  void countIsBoundedAndEveryFrameHasTheSameChance() {
    FeedSample f = new FeedSample(ModelSelection.parse("m"), 10, 1 << 20, null, null, 7);
    for (int i = 0; i < 1000; i++) {
      f.offer("m", frame(i, 4, 4), i);
    }
    assertEquals(10, f.frames("m"));
    assertEquals(1000, f.seen("m"));
    assertEquals(160, f.bytes("m"));
    assertFalse(f.offer("other", frame(0, 4, 4), 0), "a model not named is not sampled");
    // Uniformity: over many streams of 100 frames into 10 slots, the first and the last frame each
    // end up in the sample about 10% of the time.
    int trials = 3000;
    int first = 0;
    int last = 0;
    for (int t = 0; t < trials; t++) {
      FeedSample g = new FeedSample(ModelSelection.parse("*"), 10, 1 << 20, null, null, t);
      for (int i = 0; i < 100; i++) {
        g.offer("m", frame(i, 2, 2), i);
      }
      List<SampledFrame> s = g.snapshot("m");
      first += s.stream().anyMatch(x -> x.sigma() == 0) ? 1 : 0;
      last += s.stream().anyMatch(x -> x.sigma() == 99) ? 1 : 0;
    }
    assertEquals(
        0.1, first / (double) trials, 0.025, "first frame kept " + first + " of " + trials);
    assertEquals(0.1, last / (double) trials, 0.025, "last frame kept " + last + " of " + trials);
  }

  @Test
  void bytesAreBounded() {
    FeedSample f = new FeedSample(ModelSelection.parse("m"), 1000, 550, null, null, 3);
    for (int i = 0; i < 200; i++) {
      f.offer("m", frame(i, 10, 10), 1);
      assertTrue(f.bytes("m") <= 550, "bytes " + f.bytes("m"));
    }
    assertEquals(5, f.frames("m"));
    assertEquals(500, f.bytes("m"));
    assertFalse(
        f.offer("m", frame(1, 30, 30), 1) && f.bytes("m") > 550,
        "a frame larger than the bound is never kept");
    assertTrue(f.snapshot("m").stream().allMatch(s -> s.bytes() == 100));
  }

  @Test
  void keepsEightBitPixelsAndTheSigmaButNoIds() {
    FeedSample f = new FeedSample(ModelSelection.parse("m"), 5, 1 << 20, null, null, 1);
    float[] px = {0f, 0.5f, 1f, 1.7f, -0.2f, 0.25f};
    f.offer("m", new Frame(px, 2, 3, "cam-7", "secret-id"), 12.5);
    SampledFrame s = f.snapshot("m").get(0);
    assertEquals(12.5, s.sigma());
    Frame back = s.toFrame();
    assertEquals(null, back.streamId());
    assertEquals(null, back.frameId());
    float[] want = {0f, 128 / 255f, 1f, 1f, 0f, 64 / 255f};
    for (int i = 0; i < px.length; i++) {
      assertEquals(want[i], back.pixels()[i], 1e-6);
    }
  }

  @Test
  void metersShowFramesAndBytesPerModel() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    FeedSample f = new FeedSample(ModelSelection.parse("a,b"), 3, 1 << 20, null, r, 1);
    for (int i = 0; i < 7; i++) {
      f.offer("a", frame(i, 4, 5), 1);
    }
    f.offer("b", frame(1, 2, 2), 1);
    assertEquals(3, r.get("denoiser_feed_sample_frames").tag("model", "a").gauge().value());
    assertEquals(60, r.get("denoiser_feed_sample_bytes").tag("model", "a").gauge().value());
    assertEquals(7, r.get("denoiser_feed_sample_seen").tag("model", "a").counter().count());
    assertEquals(1, r.get("denoiser_feed_sample_frames").tag("model", "b").gauge().value());
  }

  @Test
  void droppedOnShutdownUnlessADirectoryIsSet() throws Exception {
    Path memoryOnly = Files.createDirectories(tmp.resolve("cwd"));
    FeedSample f = FeedSample.from(settings("m", ""), null);
    f.offer("m", frame(1, 4, 4), 2);
    assertEquals(1, f.frames("m"));
    f.close();
    assertEquals(0, f.frames("m"), "the sample is dropped on close");
    assertFalse(f.offer("m", frame(2, 4, 4), 2), "nothing is taken after close");
    try (var files = Files.list(memoryOnly)) {
      assertEquals(0, files.count());
    }

    Path dir = tmp.resolve("sample");
    FeedSample kept = FeedSample.from(settings("m,n", dir.toString()), null);
    for (int i = 0; i < 4; i++) {
      kept.offer("m", frame(i, 4, 4), i);
    }
    kept.offer("n", frame(9, 3, 3), 9);
    kept.close();
    assertTrue(Files.isRegularFile(dir.resolve(FeedSample.FILE)));
    FeedSample again = FeedSample.from(settings("m,n", dir.toString()), null);
    assertEquals(4, again.frames("m"));
    assertEquals(1, again.frames("n"));
    assertEquals(9.0, again.snapshot("n").get(0).sigma());
    FeedSample narrower = FeedSample.from(settings("n", dir.toString()), null);
    assertEquals(0, narrower.frames("m"), "frames of a model no longer named are not read back");
  }

  private static Settings settings(String models, String dir) {
    return Settings.of(
        new JsonObject()
            .put(Setting.FEED_SAMPLE_MODELS.key(), models)
            .put(Setting.FEED_SAMPLE_DIR.key(), dir));
  }
}
