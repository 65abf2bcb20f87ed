package dev.denoiser.http;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.frame.MediaType;
import dev.denoiser.inference.InferenceResult;
import dev.denoiser.model.ModelCard;
import dev.denoiser.source.CodecPool;
import dev.denoiser.source.FrameGate;
import dev.denoiser.source.MemoryBudget;
import dev.denoiser.source.Params;
import dev.denoiser.source.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * The service's own REST API.
 *
 * <ul>
 *   <li>{@code POST /v1/models/{name}/denoise}: body = one image ({@code Content-Type} image/png,
 *       application/x-gray8 or application/x-float32; raw formats need {@code width} and {@code
 *       height} query parameters or {@code X-Width}/{@code X-Height} headers). Answers the denoised
 *       image in the same format, or the one {@code Accept} asks for. Headers: {@code X-Model},
 *       {@code X-Model-Version}, {@code X-Noise-Sigma} (estimated noise of the input, 0-255 scale),
 *       {@code X-Width}, {@code X-Height}, {@code X-Queue-Micros}, {@code X-Compute-Micros}, {@code
 *       X-Batch-Size}, {@code Server-Timing}, and {@code X-Frame-Id} when the request had one.
 *   <li>{@code POST /v1/models/{name}/encode}: same input; answers JSON with the latent code.
 *   <li>{@code GET /v1/models} and {@code GET /v1/models/{name}}: the model cards.
 * </ul>
 */
final class DenoiseApi {
  private final ServiceContext svc;
  private final FrameGate gate;
  private final CodecPool codecs;

  DenoiseApi(ServiceContext svc, CodecPool codecs) {
    this.svc = svc;
    this.gate = svc.gate();
    this.codecs = codecs;
  }

  void mount(Router router) {
    router.get("/v1/models").handler(this::list);
    router.get("/v1/models/:name").handler(this::card);
    router.post("/v1/models/:name/denoise").handler(ctx -> run(ctx, false));
    router.post("/v1/models/:name/encode").handler(ctx -> run(ctx, true));
  }

  private void list(RoutingContext ctx) {
    JsonArray cards = new JsonArray();
    svc.registry().cards().values().forEach(c -> cards.add(c.toJson()));
    json(
        ctx.response(),
        200,
        new JsonObject().put("default", svc.registry().defaultModel()).put("models", cards));
  }

  private void card(RoutingContext ctx) {
    ModelCard c = svc.registry().card(ctx.pathParam("name"));
    json(ctx.response(), 200, c.toJson());
  }

  /**
   * Takes the frame's bytes from the budget (growing the body's lease), then decodes it on the
   * codec pool, runs it, and encodes the answer on the codec pool: the event loop only routes.
   */
  private void run(RoutingContext ctx, boolean encode) {
    HttpServerRequest req = ctx.request();
    String model = ctx.pathParam("name");
    MediaType in = MediaType.parse(req.getHeader("Content-Type"));
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw new DenoiserException(ErrorCode.INVALID_FRAME, "empty request body");
    }
    byte[] bytes = body.getBytes();
    Integer width = intParam(req, "width");
    Integer height = intParam(req, "height");
    String frameId = req.getHeader("X-Frame-Id");
    long deadline = deadlineMillis(req);
    MemoryBudget.Lease lease = BodyBudget.lease(ctx);
    if (lease != null) {
      gate.reserveMore(lease, in, bytes, width, height);
    } else {
      MemoryBudget.Lease own = gate.reserve(BodyBudget.SOURCE, in, bytes, width, height);
      ctx.addEndHandler(v -> own.close());
    }
    codecs
        .run(() -> gate.admit(in, bytes, width, height, null, frameId, model))
        .compose(admitted -> gate.run(admitted, deadline, BodyBudget.SOURCE))
        .compose(
            r -> {
              if (encode) {
                return Future.succeededFuture(new Answer(r, null, null));
              }
              MediaType out = MediaType.fromAccept(req.getHeader("Accept"), in);
              return codecs.run(() -> new Answer(r, out, FrameCodec.encode(r.denoised(), out)));
            })
        .onSuccess(
            a -> {
              HttpServerResponse resp = ctx.response();
              InferenceResult r = a.result();
              headers(resp, r);
              if (encode) {
                JsonArray latent = new JsonArray();
                for (float v : r.latent()) {
                  latent.add(v);
                }
                json(
                    resp,
                    200,
                    new JsonObject()
                        .put("model", r.model())
                        .put("modelVersion", r.modelVersion())
                        .put("latentDim", r.latent().length)
                        .put("latent", latent)
                        .put("frameId", r.denoised().frameId()));
              } else {
                resp.putHeader("Content-Type", a.type().mime())
                    .setStatusCode(200)
                    .end(Buffer.buffer(a.bytes()));
              }
            })
        .onFailure(ctx::fail);
  }

  /** A result and, for a denoise call, its encoded image. */
  private record Answer(InferenceResult result, MediaType type, byte[] bytes) {}

  static void headers(HttpServerResponse resp, InferenceResult r) {
    resp.putHeader("X-Model", r.model())
        .putHeader("X-Model-Version", Long.toString(r.modelVersion()))
        .putHeader("X-Width", Integer.toString(r.denoised().width()))
        .putHeader("X-Height", Integer.toString(r.denoised().height()))
        .putHeader("X-Queue-Micros", Long.toString(r.queueMicros()))
        .putHeader("X-Compute-Micros", Long.toString(r.computeMicros()))
        .putHeader("X-Batch-Size", Integer.toString(r.batchSize()))
        .putHeader(
            "Server-Timing",
            String.format(
                Locale.ROOT,
                "queue;dur=%.3f, compute;dur=%.3f",
                r.queueMicros() / 1000.0,
                r.computeMicros() / 1000.0));
    if (r.denoised().frameId() != null) {
      resp.putHeader("X-Frame-Id", r.denoised().frameId());
    }
    if (r.noiseSigmaText() != null) {
      resp.putHeader("X-Noise-Sigma", r.noiseSigmaText());
    }
  }

  static long deadlineMillis(HttpServerRequest req) {
    Integer t = intParam(req, "timeout_ms");
    return t == null ? 0 : t;
  }

  static Integer intParam(HttpServerRequest req, String name) {
    String v = req.getParam(name);
    if (v == null) {
      v = req.getHeader("X-" + Character.toUpperCase(name.charAt(0)) + name.substring(1));
    }
    return Params.integer(name, v, ErrorCode.INVALID_FRAME);
  }

  static void json(HttpServerResponse resp, int status, JsonObject body) {
    resp.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
