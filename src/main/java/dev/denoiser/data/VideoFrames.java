package dev.denoiser.data;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decodes a video file into 8-bit gray frames of one size, with {@code ffmpeg} as a subprocess
 * ({@code ffmpeg -loglevel error -i FILE -vf scale=W:H -f rawvideo -pix_fmt gray -}): every {@link
 * #next()} is one frame of {@code width*height} bytes, row-major. The pipe paces the decoder:
 * ffmpeg waits while nobody reads. Not thread-safe; close it to stop the process.
 */
public final class VideoFrames implements AutoCloseable {
  private final int width;
  private final int height;
  private final Process process;
  private final InputStream in;
  private volatile String firstError;

  private VideoFrames(int width, int height, Process process) {
    this.width = width;
    this.height = height;
    this.process = process;
    this.in = process.getInputStream();
  }

  /**
   * Starts decoding {@code file} scaled to {@code width x height}.
   *
   * @throws IOException with a one-line reason when the file or ffmpeg is missing
   */
  public static VideoFrames open(Path file, int width, int height) throws IOException {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "video size must be positive, got " + width + "x" + height);
    }
    String ffmpeg = ffmpeg();
    check(file);
    ProcessBuilder pb =
        new ProcessBuilder(
                ffmpeg,
                "-nostdin",
                "-loglevel",
                "error",
                "-i",
                file.toString(),
                "-vf",
                "scale=" + width + ":" + height,
                "-f",
                "rawvideo",
                "-pix_fmt",
                "gray",
                "-")
            .redirectError(ProcessBuilder.Redirect.PIPE);
    VideoFrames v = new VideoFrames(width, height, pb.start());
    v.drainErrors();
    return v;
  }

  /** Decodes the first {@code count} frames (fewer if the video is shorter) and stops. */
  public static List<byte[]> read(Path file, int width, int height, int count) throws IOException {
    List<byte[]> frames = new ArrayList<>();
    try (VideoFrames v = open(file, width, height)) {
      byte[] f;
      while (frames.size() < count && (f = v.next()) != null) {
        frames.add(f);
      }
    }
    if (frames.isEmpty()) {
      throw new IOException("ffmpeg decoded no frame of " + file);
    }
    return frames;
  }

  /** Fails with a one-line reason unless {@code file} is a readable file. */
  public static void check(Path file) throws IOException {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IOException(
          "video file " + file + " is missing (sh src/scripts/fetch-natural.sh fetches vtest.avi)");
    }
  }

  /** The ffmpeg on the PATH (or {@code -Dffmpeg.binary}); a one-line reason if there is none. */
  public static String ffmpeg() throws IOException {
    String p = System.getProperty("ffmpeg.binary");
    if (p != null && !p.isBlank()) {
      return p;
    }
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
      File f = new File(dir, "ffmpeg");
      if (f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    throw new IOException("ffmpeg is not on the PATH (apt-get install ffmpeg)");
  }

  /** Parses a size {@code WxH} (such as {@code 384x288}) into {width, height}. */
  public static int[] size(String text) {
    String[] p = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
    try {
      if (p.length == 2) {
        int w = Integer.parseInt(p[0].trim());
        int h = Integer.parseInt(p[1].trim());
        if (w > 0 && h > 0) {
          return new int[] {w, h};
        }
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException(
        "a video size is WIDTHxHEIGHT such as 384x288, got '" + text + "'");
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /**
   * The next frame, or null at the end of the video.
   *
   * @throws IOException if ffmpeg failed (its first error line) or the pipe broke
   */
  public byte[] next() throws IOException {
    byte[] frame = new byte[width * height];
    int n = in.readNBytes(frame, 0, frame.length);
    if (n == frame.length) {
      return frame;
    }
    try {
      if (process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() != 0) {
        Thread.sleep(50); // lets the stderr reader keep the message
        throw new IOException(
            "ffmpeg failed (exit "
                + process.exitValue()
                + "): "
                + (firstError == null ? "no message" : firstError));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while ffmpeg stopped", e);
    }
    return null;
  }

  /**
   * Reads ffmpeg's stderr on a daemon thread (so ffmpeg never blocks on it), keeping the first
   * line.
   */
  private void drainErrors() {
    Thread t =
        new Thread(
            () -> {
              try (InputStream err = process.getErrorStream()) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                err.transferTo(all);
                String text = all.toString(StandardCharsets.UTF_8).strip();
                if (!text.isEmpty()) {
                  firstError = text.lines().findFirst().orElse(text);
                }
              } catch (IOException ignored) {
                // the process went away; nothing more to read
              }
            },
            "ffmpeg-stderr");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
