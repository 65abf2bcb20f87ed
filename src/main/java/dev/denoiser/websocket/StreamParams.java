package dev.denoiser.websocket;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.MediaType;
import dev.denoiser.inference.ModelRegistry;
import dev.denoiser.source.FrameGate;
import dev.denoiser.source.Params;
import io.vertx.core.MultiMap;
import java.util.Set;

/**
 * The query parameters of {@code /v1/stream}, checked once when the connection opens: {@code model}
 * (default: the default model), {@code mode=live|lossless} (default live), {@code
 * format=png|gray8|float32} (default png) with {@code width} and {@code height} for the raw
 * formats, {@code latent=true} to get the latent code in every reply, {@code ids=true} when every
 * message starts with a frame-id header, and {@code window} (lossless in-flight window, at most
 * {@code stream.maxInFlight}). {@code access_token} is read by the auth check. Anything else, or a
 * bad value, is a protocol violation (close 1008).
 */
public record StreamParams(
    String model,
    StreamMode mode,
    MediaType format,
    Integer width,
    Integer height,
    boolean latent,
    boolean ids,
    int window) {

  private static final Set<String> KNOWN =
      Set.of(
          "model", "mode", "format", "width", "height", "latent", "ids", "window", "access_token");

  /** Parses and checks the parameters against the loaded models and the limits. */
  public static StreamParams parse(
      MultiMap q, ModelRegistry registry, FrameGate gate, StreamLimits limits) {
    for (String name : q.names()) {
      if (!KNOWN.contains(name)) {
        throw bad(
            "unknown query parameter '" + name + "'; known: " + new java.util.TreeSet<>(KNOWN));
      }
    }
    String model = registry.resolveName(q.get("model"));
    registry.card(model);
    StreamMode mode = StreamMode.parse(q.get("mode"));
    String f = q.get("format");
    MediaType format = MediaType.parse(f == null || f.isBlank() ? "png" : f);
    Integer width = intParam(q, "width");
    Integer height = intParam(q, "height");
    if (format.raw()) {
      if (width == null || height == null) {
        throw bad("format " + format.shortName() + " needs width and height query parameters");
      }
      gate.checkSize(model, height, width);
    }
    Integer w = intParam(q, "window");
    int window = w == null ? limits.maxInFlight() : w;
    if (window < 1 || window > limits.maxInFlight()) {
      throw bad(
          "window must be between 1 and "
              + limits.maxInFlight()
              + " (stream.maxInFlight), got "
              + window);
    }
    return new StreamParams(
        model, mode, format, width, height, bool(q, "latent"), bool(q, "ids"), window);
  }

  private static Integer intParam(MultiMap q, String name) {
    return Params.integer(name, q.get(name), ErrorCode.BAD_REQUEST);
  }

  private static boolean bool(MultiMap q, String name) {
    return Params.bool(name, q.get(name), ErrorCode.BAD_REQUEST);
  }

  private static DenoiserException bad(String message) {
    return new DenoiserException(ErrorCode.BAD_REQUEST, message);
  }
}
