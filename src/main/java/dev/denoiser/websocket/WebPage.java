package dev.denoiser.websocket;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.SampleDigits;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.http.HttpErrors;
import dev.denoiser.http.RouteContributor;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.StringJoiner;

/**
 * The demo page and what it needs, all from the jar (no CDN): {@code GET /} is {@code
 * webroot/index.html}, {@code GET /ui/*} its script and style sheet, and {@code GET
 * /v1/samples/digits?count=N} the first N (default 300, at most 500) MNIST test digits of {@link
 * SampleDigits} as {@code application/x-gray8}: N images of {@code X-Height} x {@code X-Width}
 * bytes back to back, with their labels in {@code X-Labels} (comma-separated).
 */
public final class WebPage implements RouteContributor {
  public static final String DIGITS_PATH = "/v1/samples/digits";
  private static final int DEFAULT_COUNT = 300;

  @Override
  public void mount(Vertx vertx, Router router) {
    StaticHandler files =
        StaticHandler.create("webroot").setCachingEnabled(false).setIndexPage("index.html");
    router.get("/").handler(files);
    router.get("/ui/*").handler(files);
    router
        .get(DIGITS_PATH)
        .handler(
            ctx ->
                vertx
                    .executeBlocking(SampleDigits::load, false)
                    .onSuccess(d -> digits(ctx, d))
                    .onFailure(ctx::fail));
  }

  private static void digits(RoutingContext ctx, ImageSet d) {
    int count;
    try {
      String c = ctx.request().getParam("count");
      count = c == null ? Math.min(DEFAULT_COUNT, d.count()) : Integer.parseInt(c.trim());
    } catch (NumberFormatException e) {
      HttpErrors.send(ctx, ErrorCode.BAD_REQUEST, "count must be an integer");
      return;
    }
    if (count < 1 || count > d.count()) {
      HttpErrors.send(
          ctx,
          ErrorCode.BAD_REQUEST,
          "count must be between 1 and " + d.count() + ", got " + count);
      return;
    }
    Buffer body = Buffer.buffer(count * d.height() * d.width());
    StringJoiner labels = new StringJoiner(",");
    for (int i = 0; i < count; i++) {
      body.appendBytes(d.gray8(i));
      labels.add(Integer.toString(d.label(i)));
    }
    ctx.response()
        .putHeader("Content-Type", "application/x-gray8")
        .putHeader("X-Count", Integer.toString(count))
        .putHeader("X-Width", Integer.toString(d.width()))
        .putHeader("X-Height", Integer.toString(d.height()))
        .putHeader("X-Labels", labels.toString())
        .putHeader("Cache-Control", "max-age=3600")
        .end(body);
  }
}
