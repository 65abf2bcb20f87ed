package dev.denoiser.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.data.VideoFrames;
import dev.denoiser.testing.TestClips;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The video demo feed's frames: chosen by kafka.demo.source, looped, noisy, with a model header
 * only for a loaded model.
 */
class VideoDemoFramesTest {
  @TempDir Path dir;

  private Path video() throws Exception {
    Path out = dir.resolve("clip.avi");
    TestClips.testPattern(out, 1);
    return out;
  }

  @Test
  void mnistIsTheDefaultAndVideoLoopsNoisyFrames() throws Exception {
    assertNull(VideoDemoFrames.fromSettings(Settings.defaultsOnly(), Set.of()));
    Path clip = video();
    Settings s =
        Settings.defaultsOnly()
            .with(Setting.KAFKA_DEMO_SOURCE, "video")
            .with(Setting.KAFKA_DEMO_VIDEO_FILE, clip.toString())
            .with(Setting.KAFKA_DEMO_VIDEO_SIZE, "32x24")
            .with(Setting.KAFKA_DEMO_VIDEO_MODEL, "natural-gray");
    List<byte[]> clean = VideoFrames.read(clip, 32, 24, 5);
    try (VideoDemoFrames v =
        VideoDemoFrames.fromSettings(s, Set.of("natural-gray", "conv-upsample"))) {
      assertEquals("natural-gray", v.model());
      double diff = 0;
      for (int i = 0; i < 12; i++) { // 5 frames a loop: plays past the end
        byte[] f = v.take(10_000);
        assertNotNull(f, "frame " + i + " came");
        assertEquals(32 * 24, f.length);
        byte[] c = clean.get(i % 5);
        for (int k = 0; k < f.length; k++) {
          diff += Math.pow((f[k] & 0xff) - (c[k] & 0xff), 2);
        }
      }
      double rms = Math.sqrt(diff / (12 * 32 * 24));
      assertTrue(
          rms > 15 && rms < 30, "noise of sigma 0.1 (about 25 of 255, less where clipped): " + rms);
    }
    try (VideoDemoFrames v = VideoDemoFrames.fromSettings(s, Set.of("conv-upsample"))) {
      assertNull(v.model(), "a model that is not loaded is left out");
    }
  }

  @Test
  void failsInOneLineWithoutTheFileOrWithABadSource() {
    Settings s =
        Settings.defaultsOnly()
            .with(Setting.KAFKA_DEMO_SOURCE, "video")
            .with(Setting.KAFKA_DEMO_VIDEO_FILE, dir.resolve("vtest.avi").toString());
    IOException e =
        assertThrows(IOException.class, () -> VideoDemoFrames.fromSettings(s, Set.of()));
    assertTrue(
        e.getMessage().startsWith("kafka.demo.source=video: video file ")
            && e.getMessage().contains("fetch-natural.sh"),
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            VideoDemoFrames.fromSettings(
                Settings.defaultsOnly().with(Setting.KAFKA_DEMO_SOURCE, "tv"), Set.of()));
  }
}
