package dev.denoiser.http;

import dev.denoiser.inference.InferenceResult;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.Frame;
import dev.denoiser.model.ModelCard;
import dev.denoiser.source.FrameGate;
import dev.denoiser.source.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The subset of the KServe v2 / Triton HTTP inference protocol that Triton and KServe clients
 * need: health, server and model metadata, model readiness, and {@code infer} with JSON tensors.
 *
 * <p>Infer takes one input {@code noisy}, datatype FP32, shape [N,C,H,W] (C = 1 gray, 3 RGB),
 * data flat (row-major)
 * or nested; the N frames go through the batcher like any other requests and may share ONNX
 * Runtime runs with other callers. Outputs {@code denoised} [N,1,H,W] and {@code latent} [N,D],
 * or the subset named in {@code outputs}. Binary tensor data is not supported.
 */
final class KServeApi {
  private final ServiceContext svc;
  private final FrameGate gate;

  KServeApi(ServiceContext svc) {
    this.svc = svc;
    this.gate = svc.gate();
  }

  void mount(Router router, BearerAuth auth) {
    router.get("/v2/health/live").handler(ctx -> DenoiseApi.json(ctx.response(), 200, new JsonObject().put("live", true)));
    router.get("/v2/health/ready").handler(ctx -> {
      boolean ready = svc.ready();
      DenoiseApi.json(ctx.response(), ready ? 200 : 503, new JsonObject().put("ready", ready));
    });
    router.get("/v2").handler(ctx -> DenoiseApi.json(ctx.response(), 200, new JsonObject()
        .put("name", "stream-denoiser").put("version", "0.1.0").put("extensions", new JsonArray())));
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
    JsonObject body = new JsonObject()
        .put("name", c.name())
        .put("versions", new JsonArray().add(Long.toString(c.version())))
        .put("platform", "onnxruntime_onnx")
        .put("inputs", new JsonArray().add(tensor(ModelCard.INPUT, -1, c.channels(), h, w)))
        .put("outputs", new JsonArray()
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
      throw new DenoiserException(ErrorCode.MODEL_NOT_FOUND,
          "model '" + c.name() + "' version " + ctx.pathParam("version") + " is not served; serving " + c.version());
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
    JsonObject req;
    try {
      req = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new DenoiserException(ErrorCode.BAD_REQUEST, "request body is not valid JSON");
    }
    if (req == null) {
      throw new DenoiserException(ErrorCode.BAD_REQUEST, "request body is not valid JSON");
    }
    List<Frame> frames = parseInput(req);
    List<String> wanted = wantedOutputs(req);
    List<Future<InferenceResult>> runs = new ArrayList<>(frames.size());
    for (Frame f : frames) {
      try {
        runs.add(gate.run(gate.admit(f, card.name()), 0));
      } catch (DenoiserException e) {
        runs.add(Future.failedFuture(e));
      }
    }
    Future.all(runs).onSuccess(all -> {
      List<InferenceResult> results = all.list();
      ctx.response().putHeader("X-Model-Version", Long.toString(results.get(0).modelVersion()));
      String sigmas = noiseSigmas(results);
      if (sigmas != null) {
        ctx.response().putHeader("X-Noise-Sigma", sigmas);
      }
      DenoiseApi.json(ctx.response(), 200, response(req, card, frames, results, wanted));
    }).onFailure(ctx::fail);
  }

  private List<Frame> parseInput(JsonObject req) {
    JsonArray inputs = req.getJsonArray("inputs");
    if (inputs == null || inputs.size() != 1) {
      throw new DenoiserException(ErrorCode.BAD_REQUEST, "expected exactly one input named 'noisy'");
    }
    JsonObject in = inputs.getJsonObject(0);
    if (!ModelCard.INPUT.equals(in.getString("name"))) {
      throw new DenoiserException(ErrorCode.BAD_REQUEST, "unknown input '" + in.getString("name") + "'; the input is 'noisy'");
    }
    if (!"FP32".equals(in.getString("datatype"))) {
      throw new DenoiserException(ErrorCode.BAD_REQUEST, "input 'noisy' must have datatype FP32");
    }
    JsonArray shape = in.getJsonArray("shape");
    if (shape == null || shape.size() != 4 || !(shape.getValue(1) instanceof Number)
        || (shape.getLong(1) != 1 && shape.getLong(1) != 3)) {
      throw new DenoiserException(ErrorCode.BAD_REQUEST,
          "input 'noisy' must have shape [N,C,H,W] with C = 1 (gray) or 3 (RGB)");
    }
    long c = shape.getLong(1);
    long n = shape.getLong(0);
    long h = shape.getLong(2);
    long w = shape.getLong(3);
    if (n <= 0 || n > 4096) {
      throw new DenoiserException(ErrorCode.BAD_REQUEST, "batch dimension must be 1..4096, got " + n);
    }
    svc.codec().checkSize(h, w);
    if (n * c * h * w > svc.codec().maxPixels()) {
      throw new DenoiserException(ErrorCode.PAYLOAD_TOO_LARGE, "request holds more pixels than the frame limit");
    }
    float[] data = flatten(in.getJsonArray("data"), n * c * h * w);
    List<Frame> frames = new ArrayList<>((int) n);
    int hw = (int) (c * h * w);
    for (int i = 0; i < n; i++) {
      float[] px = new float[hw];
      System.arraycopy(data, i * hw, px, 0, hw);
      frames.add(svc.codec().fromFloats(px, (int) h, (int) w, null, req.getString("id")));
    }
    return frames;
  }

  private static float[] flatten(JsonArray data, long expected) {
    if (data == null) {
      throw new DenoiserException(ErrorCode.BAD_REQUEST, "input 'noisy' has no data");
    }
    float[] out = new float[(int) expected];
    int[] pos = {0};
    flattenInto(data, out, pos);
    if (pos[0] != expected) {
      throw new DenoiserException(ErrorCode.INVALID_FRAME,
          "input 'noisy' has " + pos[0] + " values, its shape needs " + expected);
    }
    return out;
  }

  private static void flattenInto(JsonArray a, float[] out, int[] pos) {
    for (Object o : a) {
      if (o instanceof JsonArray inner) {
        flattenInto(inner, out, pos);
      } else if (o instanceof Number num) {
        if (pos[0] >= out.length) {
          pos[0]++;
          continue;
        }
        out[pos[0]++] = num.floatValue();
      } else {
        throw new DenoiserException(ErrorCode.INVALID_FRAME, "input 'noisy' data must be numbers, got " + o);
      }
    }
  }

  private static List<String> wantedOutputs(JsonObject req) {
    JsonArray outs = req.getJsonArray("outputs");
    List<String> wanted = new ArrayList<>();
    if (outs == null || outs.isEmpty()) {
      wanted.add(ModelCard.OUTPUT_DENOISED);
      wanted.add(ModelCard.OUTPUT_LATENT);
      return wanted;
    }
    for (int i = 0; i < outs.size(); i++) {
      String name = outs.getJsonObject(i).getString("name");
      if (!ModelCard.OUTPUT_DENOISED.equals(name) && !ModelCard.OUTPUT_LATENT.equals(name)) {
        throw new DenoiserException(ErrorCode.BAD_REQUEST, "unknown output '" + name + "'; outputs are 'denoised' and 'latent'");
      }
      wanted.add(name);
    }
    return wanted;
  }

  private static JsonObject response(JsonObject req, ModelCard card, List<Frame> frames,
      List<InferenceResult> results, List<String> wanted) {
    int n = frames.size();
    Frame f0 = frames.get(0);
    JsonArray outputs = new JsonArray();
    for (String name : wanted) {
      JsonArray data = new JsonArray();
      JsonArray shape;
      if (name.equals(ModelCard.OUTPUT_DENOISED)) {
        results.forEach(r -> {
          for (float v : r.denoised().pixels()) {
            data.add(v);
          }
        });
        shape = new JsonArray().add(n).add(f0.channels()).add(f0.height()).add(f0.width());
      } else {
        results.forEach(r -> {
          for (float v : r.latent()) {
            data.add(v);
          }
        });
        shape = new JsonArray().add(n).add(results.get(0).latent().length);
      }
      JsonObject out = new JsonObject().put("name", name).put("datatype", "FP32").put("shape", shape).put("data", data);
      String sigmas = noiseSigmas(results);
      if (sigmas != null) {
        out.put("parameters", new JsonObject().put("noise_sigma", sigmas));
      }
      outputs.add(out);
    }
    JsonObject resp = new JsonObject().put("model_name", card.name())
        .put("model_version", Long.toString(results.get(0).modelVersion())).put("outputs", outputs);
    if (req.getString("id") != null) {
      resp.put("id", req.getString("id"));
    }
    return resp;
  }

  /** The inputs' noise estimates, comma-separated in input order (0-255 scale); null if none was measured. */
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
