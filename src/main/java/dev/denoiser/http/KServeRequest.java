package dev.denoiser.http;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.model.ModelCard;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One KServe v2 infer request, parsed and checked: the JSON object (the first {@code
 * Inference-Header-Content-Length} bytes of the body when that header is there, else the whole
 * body) and, for an input with {@code "parameters": {"binary_data_size": B}}, its B bytes of tensor
 * data after the JSON (little-endian, row-major, in input order; the binary tensor data extension).
 * One input {@code noisy}, datatype {@code FP32} or {@code UINT8} (0..255, read as value / 255),
 * shape [N,C,H,W] with C 1 or 3 and N at most {@code maxBatch}. Outputs come back as JSON, or as
 * binary data when the output asks with {@code "parameters": {"binary_data": true}} or the request
 * with {@code "parameters": {"binary_data_output": true}}.
 *
 * <p>Anything malformed (a non-object input, a null, a string in the shape, a missing field, sizes
 * that do not add up) is a {@link DenoiserException} with one line of explanation: BAD_REQUEST,
 * INVALID_FRAME for tensor data that does not fit its shape, PAYLOAD_TOO_LARGE over the limits.
 *
 * @param id the request's {@code id}, or null
 * @param frames the N frames' pixels, each C*H*W floats (C planes of H*W)
 * @param outputs the outputs to answer, in order
 */
record KServeRequest(
    String id, int n, int c, int h, int w, List<float[]> frames, List<Output> outputs) {
  /** The request and answer header that gives the JSON's length when binary data follows. */
  static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  /** One requested output and whether it goes back as binary data. */
  record Output(String name, boolean binary) {}

  /**
   * Parses {@code body}; {@code headerLength} is the value of {@link #HEADER_LENGTH} (null: none).
   */
  static KServeRequest parse(Buffer body, String headerLength, FrameCodec codec, int maxBatch) {
    try {
      return parseChecked(body, headerLength, codec, maxBatch);
    } catch (DenoiserException e) {
      throw e;
    } catch (RuntimeException e) {
      // a shape of input this parser did not foresee: still the caller's mistake, in one line
      throw new DenoiserException(
          ErrorCode.BAD_REQUEST, "malformed infer request (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static KServeRequest parseChecked(
      Buffer body, String headerLength, FrameCodec codec, int maxBatch) {
    int total = body == null ? 0 : body.length();
    int jsonLength = total;
    if (headerLength != null) {
      jsonLength = parseLength(headerLength, total);
    }
    JsonObject req = decode(body == null ? Buffer.buffer() : body.slice(0, jsonLength));
    ByteBuffer binary =
        ByteBuffer.wrap(body == null ? new byte[0] : body.getBytes(jsonLength, total))
            .order(ByteOrder.LITTLE_ENDIAN);

    Object inputsValue = req.getValue("inputs");
    if (!(inputsValue instanceof JsonArray inputs) || inputs.size() != 1) {
      throw bad("'inputs' must be an array of exactly one input named 'noisy'");
    }
    if (!(inputs.getValue(0) instanceof JsonObject in)) {
      throw bad(
          "inputs[0] must be an object {name, datatype, shape, data or parameters.binary_data_size}");
    }
    if (!ModelCard.INPUT.equals(string(in, "name"))) {
      throw bad("unknown input '" + in.getValue("name") + "'; the input is 'noisy'");
    }
    String datatype = string(in, "datatype");
    if (!"FP32".equals(datatype) && !"UINT8".equals(datatype)) {
      throw bad(
          "input 'noisy' must have datatype FP32 or UINT8, got "
              + (datatype == null ? "none" : "'" + datatype + "'"));
    }
    long[] shape = shape(in.getValue("shape"));
    long n = shape[0];
    long c = shape[1];
    if (c != 1 && c != 3) {
      throw bad(
          "input 'noisy' must have shape [N,C,H,W] with C = 1 (gray) or 3 (RGB), got C = " + c);
    }
    if (n < 1 || n > maxBatch) {
      throw bad(
          "batch dimension N must be 1 to "
              + maxBatch
              + " (kserve.maxBatch, batching.queueSize), got "
              + n);
    }
    int[] hw = codec.checkSize(shape[2], shape[3]);
    long values = FrameCodec.pixels(n, FrameCodec.pixels(c, FrameCodec.pixels(hw[0], hw[1])));
    if (values > codec.maxPixels()) {
      throw new DenoiserException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "the request holds "
              + values
              + " values, more than the frame limit of "
              + codec.maxPixels()
              + " (frame.maxPixels)");
    }
    int chw = (int) (c * hw[0] * hw[1]);
    List<float[]> frames = new ArrayList<>((int) n);
    for (int i = 0; i < n; i++) {
      frames.add(new float[chw]);
    }
    Object params = in.getValue("parameters");
    if (params != null && !(params instanceof JsonObject)) {
      throw bad("input 'noisy' parameters must be an object");
    }
    Object size = params == null ? null : ((JsonObject) params).getValue("binary_data_size");
    boolean uint8 = "UINT8".equals(datatype);
    if (size != null) {
      long bytes = integral(size, "binary_data_size");
      long want = values * (uint8 ? 1 : 4);
      if (bytes != want) {
        throw new DenoiserException(
            ErrorCode.INVALID_FRAME,
            "input 'noisy' binary_data_size is " + bytes + ", its shape and datatype need " + want);
      }
      if (binary.remaining() < bytes) {
        throw new DenoiserException(
            ErrorCode.INVALID_FRAME,
            "input 'noisy' declares "
                + bytes
                + " bytes of binary data, the body has "
                + binary.remaining()
                + " after the JSON");
      }
      readBinary(binary, frames, uint8);
    } else {
      flatten(in.getValue("data"), frames, chw, values, uint8);
    }
    if (binary.hasRemaining()) {
      throw bad(binary.remaining() + " bytes follow the JSON and the inputs' binary data");
    }
    return new KServeRequest(idOf(req), (int) n, (int) c, hw[0], hw[1], frames, outputs(req));
  }

  private static int parseLength(String v, int total) {
    long len;
    try {
      len = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw bad(HEADER_LENGTH + " must be a number, got '" + v + "'");
    }
    if (len < 0 || len > total) {
      throw bad(HEADER_LENGTH + " is " + len + ", the body has " + total + " bytes");
    }
    return (int) len;
  }

  private static JsonObject decode(Buffer json) {
    Object v;
    try {
      v = Json.decodeValue(json);
    } catch (DecodeException e) {
      throw bad("request body is not valid JSON");
    }
    if (!(v instanceof JsonObject j)) {
      throw bad("the infer request must be a JSON object");
    }
    return j;
  }

  private static String idOf(JsonObject req) {
    Object id = req.getValue("id");
    if (id != null && !(id instanceof String)) {
      throw bad("'id' must be a string");
    }
    return (String) id;
  }

  private static String string(JsonObject o, String key) {
    Object v = o.getValue(key);
    return v instanceof String s ? s : null;
  }

  private static long[] shape(Object v) {
    if (!(v instanceof JsonArray a) || a.size() != 4) {
      throw bad("input 'noisy' must have a shape of four integers [N,C,H,W]");
    }
    long[] out = new long[4];
    for (int i = 0; i < 4; i++) {
      out[i] = integral(a.getValue(i), "shape[" + i + "]");
    }
    return out;
  }

  /** An integer-valued JSON number. */
  private static long integral(Object v, String what) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Number num) {
      double d = num.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return (long) d;
      }
    }
    throw bad(
        what
            + " must be an integer, got "
            + (v instanceof String ? "\"" + v + "\"" : String.valueOf(v)));
  }

  private static void readBinary(ByteBuffer binary, List<float[]> frames, boolean uint8) {
    for (float[] f : frames) {
      if (uint8) {
        for (int i = 0; i < f.length; i++) {
          f[i] = (binary.get() & 0xff) / 255f;
        }
      } else {
        binary.asFloatBuffer().get(f);
        binary.position(binary.position() + 4 * f.length);
      }
    }
  }

  private static void flatten(
      Object data, List<float[]> frames, int chw, long expected, boolean uint8) {
    if (!(data instanceof JsonArray a)) {
      throw bad("input 'noisy' needs 'data' (an array of numbers) or parameters.binary_data_size");
    }
    long[] pos = {0};
    flattenInto(a, frames, chw, pos, uint8);
    if (pos[0] != expected) {
      throw new DenoiserException(
          ErrorCode.INVALID_FRAME,
          "input 'noisy' has " + pos[0] + " values, its shape needs " + expected);
    }
  }

  private static void flattenInto(
      JsonArray a, List<float[]> frames, int chw, long[] pos, boolean uint8) {
    int n = a.size();
    for (int k = 0; k < n; k++) {
      Object o = a.getValue(k);
      if (o instanceof JsonArray inner) {
        flattenInto(inner, frames, chw, pos, uint8);
        continue;
      }
      if (!(o instanceof Number num)) {
        throw new DenoiserException(
            ErrorCode.INVALID_FRAME,
            "input 'noisy' data must be numbers, got "
                + (o == null
                    ? "null"
                    : o instanceof String ? "a string" : o.getClass().getSimpleName()));
      }
      long p = pos[0]++;
      if (p >= (long) chw * frames.size()) {
        continue; // counted, refused after the walk with the total
      }
      float v;
      if (uint8) {
        double d = num.doubleValue();
        if (d != Math.rint(d) || d < 0 || d > 255) {
          throw new DenoiserException(
              ErrorCode.INVALID_FRAME, "UINT8 data must be integers 0 to 255, got " + num);
        }
        v = (float) (d / 255.0);
      } else {
        v = num.floatValue();
      }
      frames.get((int) (p / chw))[(int) (p % chw)] = v;
    }
  }

  private static List<Output> outputs(JsonObject req) {
    boolean all = false;
    Object rp = req.getValue("parameters");
    if (rp != null && !(rp instanceof JsonObject)) {
      throw bad("'parameters' must be an object");
    }
    if (rp instanceof JsonObject p) {
      all = flag(p.getValue("binary_data_output"), "binary_data_output");
    }
    if (req.getValue("binary_data_output") != null) {
      all = flag(req.getValue("binary_data_output"), "binary_data_output");
    }
    Object outs = req.getValue("outputs");
    List<Output> wanted = new ArrayList<>();
    if (outs == null || (outs instanceof JsonArray a && a.isEmpty())) {
      wanted.add(new Output(ModelCard.OUTPUT_DENOISED, all));
      wanted.add(new Output(ModelCard.OUTPUT_LATENT, all));
      return wanted;
    }
    if (!(outs instanceof JsonArray a)) {
      throw bad("'outputs' must be an array of {name, parameters}");
    }
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof JsonObject o)) {
        throw bad("outputs[" + i + "] must be an object {name, parameters}");
      }
      String name = string(o, "name");
      if (!ModelCard.OUTPUT_DENOISED.equals(name) && !ModelCard.OUTPUT_LATENT.equals(name)) {
        throw bad(
            "unknown output '" + o.getValue("name") + "'; outputs are 'denoised' and 'latent'");
      }
      Object op = o.getValue("parameters");
      if (op != null && !(op instanceof JsonObject)) {
        throw bad("outputs[" + i + "].parameters must be an object");
      }
      Object b = op == null ? null : ((JsonObject) op).getValue("binary_data");
      wanted.add(new Output(name, b == null ? all : flag(b, "binary_data")));
    }
    return wanted;
  }

  private static boolean flag(Object v, String what) {
    if (v instanceof Boolean b) {
      return b;
    }
    throw bad(what + " must be true or false");
  }

  private static DenoiserException bad(String message) {
    return new DenoiserException(ErrorCode.BAD_REQUEST, message);
  }
}
