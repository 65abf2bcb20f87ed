package dev.denoiser.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training state after a whole epoch: spec, config, epochs done, loss history, parameters and
 * Adam's moments. Written to a temporary file and renamed over the old one, so an interrupted run
 * always leaves the last complete checkpoint behind. {@code images} and {@code seconds} add up the
 * training so far (for the throughput). Binary: magic {@code DNCK}, version, a JSON header, then
 * three blocks of named float32 tensors (big-endian).
 */
public record Checkpoint(
    NetSpec spec,
    TrainConfig config,
    int epochsDone,
    long adamSteps,
    Weights params,
    Weights moment1,
    Weights moment2,
    List<Double> epochLoss,
    List<Double> curve,
    long images,
    double seconds) {

  public static final String FILE = "checkpoint.bin";
  private static final int MAGIC = 0x444e434b;

  /** Writes atomically (temp file + rename). */
  public void write(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, FILE, ".tmp");
    try {
      try (DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
        out.writeInt(MAGIC);
        out.writeInt(1);
        JsonObject head =
            new JsonObject()
                .put("net", spec.toJson())
                .put("config", config.toJson())
                .put("epochsDone", epochsDone)
                .put("adamSteps", adamSteps)
                .put("epochLoss", new JsonArray(new ArrayList<>(epochLoss)))
                .put("curve", new JsonArray(new ArrayList<>(curve)))
                .put("images", images)
                .put("seconds", seconds);
        byte[] h = head.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(h.length);
        out.write(h);
        for (Weights w : List.of(params, moment1, moment2)) {
          writeWeights(out, w);
        }
      }
      OnnxExporter.moveAtomically(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static Checkpoint read(Path file) {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC || in.readInt() != 1) {
        throw new ModelException(file + " is not a training checkpoint");
      }
      byte[] h = new byte[in.readInt()];
      in.readFully(h);
      JsonObject head = new JsonObject(new String(h, java.nio.charset.StandardCharsets.UTF_8));
      Weights p = readWeights(in);
      Weights m1 = readWeights(in);
      Weights m2 = readWeights(in);
      return new Checkpoint(
          NetSpec.fromJson(head.getJsonObject("net")),
          TrainConfig.fromJson(head.getJsonObject("config")),
          head.getInteger("epochsDone"),
          head.getLong("adamSteps"),
          p,
          m1,
          m2,
          doubles(head.getJsonArray("epochLoss")),
          doubles(head.getJsonArray("curve")),
          head.getLong("images", 0L),
          head.getDouble("seconds", 0.0));
    } catch (IOException | RuntimeException e) {
      if (e instanceof ModelException me) {
        throw me;
      }
      throw new ModelException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<Double> doubles(JsonArray a) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(a.getDouble(i));
    }
    return out;
  }

  private static void writeWeights(DataOutputStream out, Weights w) throws IOException {
    out.writeInt(w.asMap().size());
    for (Map.Entry<String, Weights.Tensor> e : w.asMap().entrySet()) {
      out.writeUTF(e.getKey());
      long[] shape = e.getValue().shape();
      out.writeInt(shape.length);
      for (long d : shape) {
        out.writeLong(d);
      }
      for (float f : e.getValue().data()) {
        out.writeFloat(f);
      }
    }
  }

  private static Weights readWeights(DataInputStream in) throws IOException {
    Weights w = new Weights();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      long[] shape = new long[in.readInt()];
      long size = 1;
      for (int k = 0; k < shape.length; k++) {
        shape[k] = in.readLong();
        size *= shape[k];
      }
      if (size < 0 || size > 1 << 28) {
        throw new ModelException("corrupt checkpoint tensor '" + name + "'");
      }
      float[] data = new float[(int) size];
      for (int k = 0; k < data.length; k++) {
        data[k] = in.readFloat();
      }
      w.put(name, shape, data);
    }
    return w;
  }
}
