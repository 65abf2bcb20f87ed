package dev.denoiser.websocket;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.data.VideoFrames;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.http.HttpErrors;
import dev.denoiser.http.RouteContributor;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The web page's demo video source: {@code GET /v1/samples/video?count=N} answers the first N
 * (default 60, at most 150) clean frames of {@code kafka.demo.video.file}, scaled to {@code
 * kafka.demo.video.size}, as {@code application/x-gray8} frames back to back with {@code X-Count},
 * {@code X-Width}, {@code X-Height}, {@code X-Frames-Per-Second} and {@code X-Model} ({@code
 * kafka.demo.video.model}). The page adds the noise itself. Without ffmpeg or the file the answer
 * is 404 {@code {"code":"NOT_FOUND"}} with the reason, and the page disables the source. Decoded
 * frames are kept in memory after the first request.
 */
public final class VideoSamples implements RouteContributor {
  public static final String PATH = "/v1/samples/video";
  static final int DEFAULT_COUNT = 60;
  static final int MAX_COUNT = 150;
  private final Path file;
  private final int[] size;
  private final double fps;
  private final String model;
  private volatile List<byte[]> cache = List.of();

  public VideoSamples(Settings s) {
    this.file = Path.of(s.getString(Setting.KAFKA_DEMO_VIDEO_FILE));
    this.size = VideoFrames.size(s.getString(Setting.KAFKA_DEMO_VIDEO_SIZE));
    this.fps = s.getDouble(Setting.KAFKA_DEMO_VIDEO_RATE);
    this.model = s.getString(Setting.KAFKA_DEMO_VIDEO_MODEL).trim();
  }

  @Override
  public void mount(Vertx vertx, Router router) {
    router
        .get(PATH)
        .handler(
            ctx -> {
              int count;
              try {
                String c = ctx.request().getParam("count");
                count = c == null ? DEFAULT_COUNT : Integer.parseInt(c.trim());
              } catch (NumberFormatException e) {
                HttpErrors.send(ctx, ErrorCode.BAD_REQUEST, "count must be an integer");
                return;
              }
              if (count < 1 || count > MAX_COUNT) {
                HttpErrors.send(
                    ctx,
                    ErrorCode.BAD_REQUEST,
                    "count must be between 1 and " + MAX_COUNT + ", got " + count);
                return;
              }
              vertx
                  .executeBlocking(() -> frames(count), false)
                  .onSuccess(frames -> send(ctx, frames))
                  .onFailure(e -> notFound(ctx, e.getMessage()));
            });
  }

  private List<byte[]> frames(int count) throws IOException {
    List<byte[]> c = cache;
    if (c.size() < count) {
      c = List.copyOf(VideoFrames.read(file, size[0], size[1], count));
      cache = c;
    }
    return c.subList(0, Math.min(count, c.size()));
  }

  private void send(RoutingContext ctx, List<byte[]> frames) {
    Buffer body = Buffer.buffer(frames.size() * size[0] * size[1]);
    frames.forEach(body::appendBytes);
    ctx.response()
        .putHeader("Content-Type", "application/x-gray8")
        .putHeader("X-Count", Integer.toString(frames.size()))
        .putHeader("X-Width", Integer.toString(size[0]))
        .putHeader("X-Height", Integer.toString(size[1]))
        .putHeader("X-Frames-Per-Second", Double.toString(fps))
        .putHeader("X-Model", model)
        .putHeader("Cache-Control", "max-age=3600")
        .end(body);
  }

  private static void notFound(RoutingContext ctx, String reason) {
    String message = "no demo video: " + reason;
    ctx.response()
        .setStatusCode(404)
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject()
                .put("code", "NOT_FOUND")
                .put("message", message)
                .put("error", message)
                .encode());
  }
}
