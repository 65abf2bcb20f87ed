package dev.denoiser.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decodes a one-second test video that ffmpeg itself makes (5 frames of 64x48). Needs ffmpeg on the
 * PATH (CI installs it); without it the tests fail and say so.
 */
class VideoFramesTest {
  @TempDir static Path dir;
  static Path video;

  @BeforeAll
  static void makeVideo() throws Exception {
    String ffmpeg;
    try {
      ffmpeg = VideoFrames.ffmpeg();
    } catch (IOException e) {
      throw new AssertionError("these tests need ffmpeg: " + e.getMessage(), e);
    }
    video = dir.resolve("out.avi");
    Process p =
        new ProcessBuilder(
                ffmpeg,
                "-nostdin",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=64x48:rate=5",
                "-t",
                "1",
                video.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ffmpeg made the test video in time");
    assertEquals(0, p.exitValue(), "ffmpeg made the test video: " + log);
  }

  @Test
  void decodesEveryFrameAtTheAskedSizeThenEnds() throws IOException {
    try (VideoFrames v = VideoFrames.open(video, 32, 24)) {
      byte[] first = v.next();
      assertEquals(32 * 24, first.length);
      int frames = 1;
      byte[] last = first;
      byte[] f;
      while ((f = v.next()) != null) {
        assertEquals(32 * 24, f.length);
        last = f;
        frames++;
      }
      assertEquals(5, frames);
      assertNotEquals(
          java.util.Arrays.toString(first), java.util.Arrays.toString(last), "the picture moves");
      assertNull(v.next(), "stays at the end");
    }
  }

  @Test
  void readsTheFirstFramesAndAgreesWithTheStream() throws IOException {
    List<byte[]> two = VideoFrames.read(video, 64, 48, 2);
    assertEquals(2, two.size());
    try (VideoFrames v = VideoFrames.open(video, 64, 48)) {
      assertArrayEquals(two.get(0), v.next());
      assertArrayEquals(two.get(1), v.next());
    }
    assertEquals(5, VideoFrames.read(video, 64, 48, 100).size(), "a short video gives what it has");
  }

  @Test
  void saysInOneLineWhatIsMissingOrBroken() throws IOException {
    IOException missing =
        assertThrows(IOException.class, () -> VideoFrames.open(dir.resolve("none.avi"), 8, 8));
    assertTrue(missing.getMessage().contains("none.avi is missing"), missing.getMessage());
    assertEquals(1, missing.getMessage().lines().count());
    Path junk = Files.writeString(dir.resolve("junk.avi"), "not a video");
    IOException broken = assertThrows(IOException.class, () -> VideoFrames.read(junk, 8, 8, 1));
    assertTrue(broken.getMessage().startsWith("ffmpeg failed"), broken.getMessage());
    assertEquals(1, broken.getMessage().lines().count());
  }

  @Test
  void parsesSizes() {
    assertArrayEquals(new int[] {384, 288}, VideoFrames.size("384x288"));
    assertArrayEquals(new int[] {64, 48}, VideoFrames.size(" 64 X 48 "));
    assertThrows(IllegalArgumentException.class, () -> VideoFrames.size("384"));
    assertThrows(IllegalArgumentException.class, () -> VideoFrames.size("0x5"));
  }
}
