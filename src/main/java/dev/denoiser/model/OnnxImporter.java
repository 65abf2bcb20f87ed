package dev.denoiser.model;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads back a {@code model.onnx} written by {@link OnnxExporter}: the network description from the
 * {@code net} metadata prop and the parameters from the initializers, so a served model can be
 * fine-tuned ({@code NetModel.of(imported.spec(), imported.weights())}).
 */
public final class OnnxImporter {
  /** What an exported model holds: network, parameters, metadata props. */
  public record Imported(NetSpec spec, Weights weights, Map<String, String> metadata) {}

  private OnnxImporter() {}

  public static Imported read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ModelException("no model file " + file);
    }
    ModelProto m;
    try (InputStream in = Files.newInputStream(file)) {
      m = ModelProto.parseFrom(in);
    } catch (IOException e) {
      throw new ModelException(file + " is not an ONNX model: " + e.getMessage(), e);
    }
    Map<String, String> meta = new LinkedHashMap<>();
    for (StringStringEntryProto p : m.getMetadataPropsList()) {
      meta.put(p.getKey(), p.getValue());
    }
    if (!meta.containsKey("net")) {
      throw new ModelException(
          file + " has no 'net' metadata: it was not exported by " + OnnxExporter.PRODUCER);
    }
    NetSpec spec;
    try {
      spec = NetSpec.fromJson(new JsonObject(meta.get("net")));
    } catch (io.vertx.core.json.DecodeException e) {
      throw new ModelException(file + " has unreadable 'net' metadata", e);
    }
    Map<String, TensorProto> inits = new HashMap<>();
    for (TensorProto t : m.getGraph().getInitializerList()) {
      inits.put(t.getName(), t);
    }
    Weights w = new Weights();
    for (ParamSpec p : spec.arch().params(spec)) {
      TensorProto t = inits.get(p.name());
      if (t == null || t.getDataType() != TensorProto.DataType.FLOAT.getNumber()) {
        throw new ModelException(file + " lacks float parameter '" + p.name() + "'");
      }
      long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
      w.put(p.name(), shape, floats(t));
    }
    w.check(spec.arch().params(spec), file.toString());
    return new Imported(spec, w, meta);
  }

  private static float[] floats(TensorProto t) {
    if (!t.getRawData().isEmpty()) {
      ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      float[] out = new float[b.remaining() / 4];
      b.asFloatBuffer().get(out);
      return out;
    }
    float[] out = new float[t.getFloatDataCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = t.getFloatData(i);
    }
    return out;
  }
}
