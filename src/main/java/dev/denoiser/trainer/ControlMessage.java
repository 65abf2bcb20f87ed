package dev.denoiser.trainer;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.hotswap.ModelNames;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * A record of the control topic: UTF-8 JSON {@code {"model": "conv-upsample", "params": {...}}}
 * ({@code params} optional, as in the admin call's body). Anything else is a {@code BAD_REQUEST}.
 */
record ControlMessage(String model, JsonObject params) {
  static ControlMessage parse(byte[] value) {
    if (value == null || value.length == 0) {
      throw bad("empty control message");
    }
    JsonObject j;
    try {
      j = new JsonObject(new String(value, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw bad("control message is not a JSON object");
    }
    Object model = j.getValue("model");
    Object params = j.getValue("params");
    if (!(model instanceof String m) || m.isBlank()) {
      throw bad("control message needs \"model\": a model name");
    }
    if (params != null && !(params instanceof JsonObject)) {
      throw bad("control message \"params\" must be a JSON object");
    }
    for (String k : j.fieldNames()) {
      if (!k.equals("model") && !k.equals("params")) {
        throw bad("unknown control message field '" + ModelNames.abbreviate(k) + "'");
      }
    }
    return new ControlMessage(m, (JsonObject) params);
  }

  private static DenoiserException bad(String m) {
    return new DenoiserException(ErrorCode.BAD_REQUEST, m);
  }
}
