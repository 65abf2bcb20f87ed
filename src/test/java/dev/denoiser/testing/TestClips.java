package dev.denoiser.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.VideoFrames;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Short video clips for the tests, made by ffmpeg from its own test pattern (64x48, 5 frames/s).
 */
public final class TestClips {
  private TestClips() {}

  /** Writes a clip of {@code seconds} seconds of ffmpeg's {@code testsrc} to {@code out}. */
  public static Path testPattern(Path out, int seconds) throws Exception {
    Process p =
        new ProcessBuilder(
                VideoFrames.ffmpeg(),
                "-nostdin",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=64x48:rate=5",
                "-t",
                Integer.toString(seconds),
                out.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes());
    assertTrue(
        p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "ffmpeg made a test clip: " + log);
    return out;
  }
}
