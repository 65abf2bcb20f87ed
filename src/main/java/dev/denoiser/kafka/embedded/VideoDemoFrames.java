package dev.denoiser.kafka.embedded;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.data.VideoFrames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames of the video demo feed: a video decoded by {@link VideoFrames} on a daemon thread,
 * played in a loop, with seeded Gaussian noise of {@code sigma} (pixels in [0,1]) added and
 * clipped. A small queue sits between the decoder and {@link #poll()}, so the event loop that
 * publishes never waits for ffmpeg, and ffmpeg decodes no faster than frames are taken.
 */
public final class VideoDemoFrames implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VideoDemoFrames.class);
  private final Path file;
  private final int width;
  private final int height;
  private final double sigma;
  private final String model;
  private final BlockingQueue<byte[]> ready = new ArrayBlockingQueue<>(2);
  private final Thread decoder;
  private volatile boolean running = true;

  /**
   * Checks that ffmpeg and the file are there (an {@link IOException} with a one-line reason if
   * not) and starts decoding.
   *
   * @param model the {@code model} header of every record, or null for none (models.default)
   */
  public VideoDemoFrames(Path file, int width, int height, double sigma, String model)
      throws IOException {
    VideoFrames.ffmpeg();
    VideoFrames.check(file);
    this.file = file;
    this.width = width;
    this.height = height;
    this.sigma = sigma;
    this.model = model;
    this.decoder = new Thread(this::decode, "demo-video-decoder");
    decoder.setDaemon(true);
    decoder.start();
  }

  /**
   * The video frames {@code kafka.demo.source} asks for, or null for MNIST digits.
   *
   * @param loaded the models loaded now; a {@code kafka.demo.video.model} not among them is left
   *     out of the records (with a warning), so the default model serves them
   * @throws IOException with a one-line reason when ffmpeg or the video file is missing
   */
  public static VideoDemoFrames fromSettings(Settings s, java.util.Set<String> loaded)
      throws IOException {
    String source =
        s.getString(Setting.KAFKA_DEMO_SOURCE).trim().toLowerCase(java.util.Locale.ROOT);
    if (source.equals("mnist")) {
      return null;
    }
    if (!source.equals("video")) {
      throw new IllegalArgumentException(
          Setting.KAFKA_DEMO_SOURCE.key() + " must be mnist or video, got '" + source + "'");
    }
    int[] wh = VideoFrames.size(s.getString(Setting.KAFKA_DEMO_VIDEO_SIZE));
    String model = s.getString(Setting.KAFKA_DEMO_VIDEO_MODEL).trim();
    if (!model.isEmpty() && !loaded.contains(model)) {
      LOG.warn("demo video: model {} is not loaded; the frames go to models.default", model);
      model = "";
    }
    try {
      return new VideoDemoFrames(
          Path.of(s.getString(Setting.KAFKA_DEMO_VIDEO_FILE)),
          wh[0],
          wh[1],
          s.getDouble(Setting.KAFKA_DEMO_VIDEO_NOISE),
          model.isEmpty() ? null : model);
    } catch (IOException e) {
      throw new IOException(Setting.KAFKA_DEMO_SOURCE.key() + "=video: " + e.getMessage(), e);
    }
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public String model() {
    return model;
  }

  /** The next noisy frame, or null if the decoder has none ready yet. */
  public byte[] poll() {
    return ready.poll();
  }

  /** Waits up to {@code millis} for the next noisy frame; null if none came. */
  public byte[] take(long millis) throws InterruptedException {
    return ready.poll(millis, TimeUnit.MILLISECONDS);
  }

  private void decode() {
    Random random = new Random(42);
    while (running) {
      int frames = 0;
      try (VideoFrames video = VideoFrames.open(file, width, height)) {
        byte[] f;
        while (running && (f = video.next()) != null) {
          frames++;
          ready.put(noisy(f, random));
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        if (!running) {
          return; // closed while ffmpeg was stopping
        }
        LOG.error("demo video: {}", e.getMessage());
      }
      if (frames == 0 && running) {
        try {
          Thread.sleep(5_000); // a broken file: retry slowly rather than spin
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private byte[] noisy(byte[] clean, Random random) {
    double s = sigma * 255;
    byte[] out = new byte[clean.length];
    for (int i = 0; i < clean.length; i++) {
      long v = Math.round((clean[i] & 0xff) + random.nextGaussian() * s);
      out[i] = (byte) Math.max(0, Math.min(255, v));
    }
    return out;
  }

  @Override
  public void close() {
    running = false;
    decoder.interrupt();
  }
}
