package dev.denoiser.http;

import dev.denoiser.config.Setting;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.Frame;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.inference.InferenceResult;
import dev.denoiser.model.ModelCard;
import dev.denoiser.source.CodecPool;
import dev.denoiser.source.FrameGate;
import dev.denoiser.source.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subset of the KServe v2 / Triton HTTP inference protocol that Triton and KServe clients need:
 * health, server and model metadata, model readiness, and {@code infer} with JSON tensors or the
 * binary tensor data extension ({@link KServeRequest}).
 *
 * <p>Infer takes one input {@code noisy}, datatype FP32 or UINT8, shape [N,C,H,W] (C = 1 gray, 3
 * RGB; N at most {@code kserve.maxBatch} and {@code batching.queueSize}), data flat (row-major) or
 * nested, or binary after the JSON; the N frames go through the batcher like any other requests and
 * may share ONNX Runtime runs with other callers. Outputs {@code denoised} [N,C,H,W] and {@code
 * latent} [N,D] (FP32), or the subset named in {@code outputs}, as JSON or binary data. A malformed
 * request is a typed 400 and one log line. The body is parsed, and the answer built, on the {@link
 * CodecPool}: a body of megabytes of JSON numbers takes the event loop no longer than routing.
 */
final class KServeApi {
  private static final Logger LOG = LoggerFactory.getLogger(KServeApi.class);
  private final ServiceContext svc;
  private final FrameGate gate;
  private final CodecPool codecs;

  private final int maxBatch;

  KServeApi(ServiceContext svc, CodecPool codecs) {
    this.svc = svc;
    this.gate = svc.gate();
    this.codecs = codecs;
    this.maxBatch =
        Math.max(
            1,
            Math.min(
                svc.settings().getInt(Setting.KSERVE_MAX_BATCH),
                svc.settings().getInt(Setting.BATCH_QUEUE_SIZE)));
  }

  void mount(Router router, BearerAuth auth) {
    router
        .get("/v2/health/live")
        .handler(ctx -> DenoiseApi.json(ctx.response(), 200, new JsonObject().put("live", true)));
    router
        .get("/v2/health/ready")
        .handler(
            ctx -> {
              boolean ready = svc.ready();
              JsonObject body = new JsonObject().put("ready", ready);
              if (!ready && svc.metrics().health().draining()) {
                body.put("draining", true);
              }
              if (!ready && !svc.metrics().health().problems().isEmpty()) {
                body.put(
                    "problems",
                    new JsonObject(
                        new java.util.LinkedHashMap<>(svc.metrics().health().problems())));
              }
              DenoiseApi.json(ctx.response(), ready ? 200 : 503, body);
            });
    router
        .get("/v2")
        .handler(
            ctx ->
                DenoiseApi.json(
                    ctx.response(),
                    200,
                    new JsonObject()
                        .put("name", "stream-denoiser")
                        .put("version", "0.1.0")
                        .put("extensions", new JsonArray().add("binary_tensor_data"))));
    router.route("/v2/models/*").handler(auth);
    router.get("/v2/models/:name").handler(this::metadata);
    router.get("/v2/models/:name/versions/:version").handler(this::metadata);
    router.get("/v2/models/:name/ready").handler(this::ready);
    router.get("/v2/models/:name/versions/:version/ready").handler(this::ready);
    router.post("/v2/models/:name/infer").handler(this::infer);
    router.post("/v2/models/:name/versions/:version/infer").handler(this::infer);
  }

  private void metadata(RoutingContext ctx) {
    ModelCard c = cardFor(ctx);
    long h = c.dynamicSize() ? -1 : c.height();
    long w = c.dynamicSize() ? -1 : c.width();
    JsonObject body =
        new JsonObject()
            .put("name", c.name())
            .put("versions", new JsonArray().add(Long.toString(c.version())))
            .put("platform", "onnxruntime_onnx")
            .put("inputs", new JsonArray().add(tensor(ModelCard.INPUT, -1, c.channels(), h, w)))
            .put(
                "outputs",
                new JsonArray()
                    .add(tensor(ModelCard.OUTPUT_DENOISED, -1, c.channels(), h, w))
                    .add(tensor(ModelCard.OUTPUT_LATENT, -1, c.latentDim())));
    DenoiseApi.json(ctx.response(), 200, body);
  }

  private void ready(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    boolean ready = svc.registry().has(name) && versionMatches(ctx, svc.registry().card(name));
    ctx.response().setStatusCode(ready ? 200 : 404).end();
  }

  private ModelCard cardFor(RoutingContext ctx) {
    ModelCard c = svc.registry().card(ctx.pathParam("name"));
    if (!versionMatches(ctx, c)) {
      throw new DenoiserException(
          ErrorCode.MODEL_NOT_FOUND,
          "model '"
              + c.name()
              + "' version "
              + ctx.pathParam("version")
              + " is not served; serving "
              + c.version());
    }
    return c;
  }

  private static boolean versionMatches(RoutingContext ctx, ModelCard c) {
    String v = ctx.pathParam("version");
    return v == null || v.equals(Long.toString(c.version()));
  }

  private static JsonObject tensor(String name, long... shape) {
    JsonArray s = new JsonArray();
    for (long d : shape) {
      s.add(d);
    }
    return new JsonObject().put("name", name).put("datatype", "FP32").put("shape", s);
  }

  private void infer(RoutingContext ctx) {
    ModelCard card = cardFor(ctx);
    Buffer body = ctx.body().buffer();
    String headerLength = ctx.request().getHeader(KServeRequest.HEADER_LENGTH);
    codecs
        .run("kserve", () -> Parsed.of(svc.codec(), body, headerLength, maxBatch))
        .onFailure(
            e -> {
              if (e instanceof DenoiserException d) {
                LOG.info(
                    "KServe infer on {} refused: {} {}", card.name(), d.code(), d.getMessage());
              }
              ctx.fail(e);
            })
        .onSuccess(parsed -> run(ctx, card, parsed));
  }

  /** A request parsed on the codec pool, with its frames. */
  private record Parsed(KServeRequest req, List<Frame> frames) {
    static Parsed of(FrameCodec codec, Buffer body, String headerLength, int maxBatch) {
      KServeRequest req = KServeRequest.parse(body, headerLength, codec, maxBatch);
      List<Frame> frames = new ArrayList<>(req.n());
      for (float[] px : req.frames()) {
        frames.add(codec.fromFloats(px, req.h(), req.w(), null, req.id()));
      }
      return new Parsed(req, frames);
    }
  }

  private void run(RoutingContext ctx, ModelCard card, Parsed parsed) {
    KServeRequest req = parsed.req();
    List<Frame> frames = parsed.frames();
    List<Future<InferenceResult>> runs = new ArrayList<>(frames.size());
    for (Frame f : frames) {
      try {
        runs.add(gate.run(gate.admit(f, card.name()), 0));
      } catch (DenoiserException e) {
        runs.add(Future.failedFuture(e));
      }
    }
    Future.all(runs)
        .compose(
            all -> {
              List<InferenceResult> results = all.list();
              return codecs.run("kserve", () -> answer(req, card, frames, results));
            })
        .onSuccess(
            a -> {
              ctx.response().putHeader("X-Model-Version", a.modelVersion());
              if (a.sigmas() != null) {
                ctx.response().putHeader("X-Noise-Sigma", a.sigmas());
              }
              if (a.headerLength() < 0) {
                ctx.response()
                    .setStatusCode(200)
                    .putHeader("Content-Type", "application/json")
                    .end(a.body());
              } else {
                ctx.response()
                    .setStatusCode(200)
                    .putHeader("Content-Type", "application/octet-stream")
                    .putHeader(KServeRequest.HEADER_LENGTH, Integer.toString(a.headerLength()))
                    .end(a.body());
              }
            })
        .onFailure(ctx::fail);
  }

  /**
   * An answer built off the event loop: its body, the JSON header's length when binary data follows
   * (else -1), and the header values.
   */
  private record Answer(Buffer body, int headerLength, String modelVersion, String sigmas) {}

  /** The answer: JSON, or the JSON header then the binary outputs in order. */
  private static Answer answer(
      KServeRequest req, ModelCard card, List<Frame> frames, List<InferenceResult> results) {
    int n = frames.size();
    Frame f0 = frames.get(0);
    JsonArray outputs = new JsonArray();
    List<byte[]> binaries = new ArrayList<>();
    for (KServeRequest.Output out : req.outputs()) {
      JsonArray shape;
      float[] values;
      if (out.name().equals(ModelCard.OUTPUT_DENOISED)) {
        Frame d0 = results.get(0).denoised();
        shape = new JsonArray().add(n).add(d0.channels()).add(d0.height()).add(d0.width());
        values = concat(results.stream().map(r -> r.denoised().pixels()).toList());
      } else {
        shape = new JsonArray().add(n).add(results.get(0).latent().length);
        values = concat(results.stream().map(InferenceResult::latent).toList());
      }
      JsonObject o =
          new JsonObject().put("name", out.name()).put("datatype", "FP32").put("shape", shape);
      if (out.binary()) {
        byte[] bytes = FrameCodec.toFloat32(values);
        binaries.add(bytes);
        o.put("parameters", new JsonObject().put("binary_data_size", bytes.length));
      } else {
        JsonArray data = new JsonArray(new ArrayList<>(values.length));
        for (float v : values) {
          data.add(v);
        }
        o.put("data", data);
      }
      String sigmas = noiseSigmas(results);
      if (sigmas != null) {
        JsonObject p = o.getJsonObject("parameters");
        o.put("parameters", (p == null ? new JsonObject() : p).put("noise_sigma", sigmas));
      }
      outputs.add(o);
    }
    JsonObject resp =
        new JsonObject()
            .put("model_name", card.name())
            .put("model_version", Long.toString(results.get(0).modelVersion()))
            .put("outputs", outputs);
    if (req.id() != null) {
      resp.put("id", req.id());
    }
    String version = Long.toString(results.get(0).modelVersion());
    String sigmas = noiseSigmas(results);
    if (binaries.isEmpty()) {
      return new Answer(resp.toBuffer(), -1, version, sigmas);
    }
    Buffer header = resp.toBuffer();
    Buffer body =
        Buffer.buffer(header.length() + binaries.stream().mapToInt(b -> b.length).sum())
            .appendBuffer(header);
    binaries.forEach(body::appendBytes);
    return new Answer(body, header.length(), version, sigmas);
  }

  private static float[] concat(List<float[]> parts) {
    float[] out = new float[parts.stream().mapToInt(p -> p.length).sum()];
    int pos = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return out;
  }

  /**
   * The inputs' noise estimates, comma-separated in input order (0-255 scale); null if none was
   * measured.
   */
  static String noiseSigmas(List<InferenceResult> results) {
    StringBuilder b = new StringBuilder();
    for (InferenceResult r : results) {
      String t = r.noiseSigmaText();
      if (t == null) {
        return null;
      }
      b.append(b.length() == 0 ? "" : ",").append(t);
    }
    return b.toString();
  }
}
