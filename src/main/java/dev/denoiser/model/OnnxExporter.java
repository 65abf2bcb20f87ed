package dev.denoiser.model;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a network as an ONNX model (IR 8, opset 17) with the service's contract: input {@code
 * noisy} [N,C,H,W] float32 in [0,1], outputs {@code denoised} [N,C,H,W] (sigmoid of the logits, or
 * for a residual architecture its output clipped to [0,1]) and {@code latent} [N,D]. N is dynamic
 * ({@code dim_param} "N"); fully convolutional models also have dynamic "H" and "W". The card's
 * name, architecture, version, net, training, noise and metrics go into the model's metadata props
 * too.
 */
public final class OnnxExporter {
  public static final int OPSET = 17;
  public static final int IR_VERSION = 8;
  public static final String PRODUCER = "stream-denoiser";

  /**
   * The symmetries ({@link OnnxOps#symmetry}) a graph of {@link NetSpec#views()} views averages
   * over: the identity first, then those that change the most (a transpose, the half turn, ...).
   */
  static final Map<Integer, int[]> VIEW_SETS =
      Map.of(2, new int[] {0, 6}, 4, new int[] {0, 3, 5, 6}, 8, new int[] {0, 1, 2, 3, 4, 5, 6, 7});

  private OnnxExporter() {}

  /**
   * The network's graph on {@code x}: one pass, or with {@link NetSpec#views()} the mean of the
   * passes over the symmetries of {@link #VIEW_SETS} (the latent is the first pass's).
   */
  static Architecture.Result<String> forward(OnnxOps ops, NetSpec spec, String x) {
    Architecture arch = spec.arch();
    Architecture.Result<String> r = arch.forward(ops, x, spec);
    if (spec.views() == 1) {
      return r;
    }
    String sum = r.logits();
    for (int t : VIEW_SETS.get(spec.views())) {
      if (t != 0) {
        String y = arch.forward(ops, ops.symmetry(x, t, false), spec).logits();
        sum = ops.add(sum, ops.symmetry(y, t, true));
      }
    }
    return new Architecture.Result<>(ops.scale(sum, 1f / spec.views()), r.latent());
  }

  /** The serialised ONNX model. */
  public static byte[] toBytes(NetSpec spec, Weights w, Map<String, String> metadata) {
    Architecture arch = spec.arch();
    w.check(arch.params(spec), "weights for " + spec.architecture());
    GraphProto.Builder g = GraphProto.newBuilder().setName(spec.architecture());
    boolean dyn = arch.fullyConvolutional();
    Object h = dyn ? "H" : 28;
    Object wd = dyn ? "W" : 28;
    int c = spec.channels();
    g.addInput(valueInfo(ModelCard.INPUT, "N", c, h, wd));
    OnnxOps ops = new OnnxOps(g, w);
    Architecture.Result<String> r = forward(ops, spec, ModelCard.INPUT);
    if (arch.residual()) {
      ops.clip(r.logits(), 0f, 1f, ModelCard.OUTPUT_DENOISED);
    } else {
      ops.node("Sigmoid", List.of(r.logits()), List.of(ModelCard.OUTPUT_DENOISED));
    }
    ops.node("Identity", List.of(r.latent()), List.of(ModelCard.OUTPUT_LATENT));
    g.addOutput(valueInfo(ModelCard.OUTPUT_DENOISED, "N", c, h, wd));
    g.addOutput(valueInfo(ModelCard.OUTPUT_LATENT, "N", arch.latentDim(spec)));
    ModelProto.Builder m =
        ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .setProducerName(PRODUCER)
            .setProducerVersion("0.1.0")
            .setModelVersion(1)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setGraph(g);
    metadata.forEach(
        (k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return m.build().toByteArray();
  }

  static ValueInfoProto valueInfo(String name, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof String s) {
        dim.setDimParam(s);
      } else {
        dim.setDimValue(((Number) d).longValue());
      }
      shape.addDim(dim);
    }
    TypeProto.Tensor t =
        TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT.getNumber())
            .setShape(shape)
            .build();
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(t))
        .build();
  }

  /** A card with the typed fields this network implies, on top of {@code extra}. */
  public static ModelCard card(String name, NetSpec spec, long version, JsonObject extra) {
    Architecture a = spec.arch();
    int size = a.fullyConvolutional() ? 0 : 28;
    JsonObject j = extra == null ? new JsonObject() : extra.copy();
    j.put("net", spec.toJson())
        .put("description", a.description())
        .put("channels", spec.channels())
        .put(
            "inputs",
            new JsonObject()
                .put(ModelCard.INPUT, "[N," + spec.channels() + ",H,W] float32 in [0,1]"))
        .put(
            "outputs",
            new JsonObject()
                .put(ModelCard.OUTPUT_DENOISED, "[N," + spec.channels() + ",H,W] float32 in [0,1]")
                .put(ModelCard.OUTPUT_LATENT, "[N," + a.latentDim(spec) + "] float32"))
        .put("format", "onnx")
        .put("opset", OPSET);
    return new ModelCard(
        name,
        spec.architecture(),
        version,
        null,
        size,
        size,
        a.fullyConvolutional() ? a.sizeMultiple() : 1,
        a.latentDim(spec),
        j);
  }

  /**
   * Writes {@code dir/model.onnx} and {@code dir/card.json} (each via a temporary file and a
   * rename) and returns the card as written, with its sha256 filled in.
   */
  public static ModelCard export(NetSpec spec, Weights w, ModelCard card, Path dir) {
    Map<String, String> meta = new LinkedHashMap<>();
    JsonObject j = card.toJson();
    meta.put("name", card.name());
    meta.put("architecture", spec.architecture());
    meta.put("version", String.valueOf(card.version()));
    meta.put("net", spec.toJson().encode());
    for (String k : List.of("noise", "training", "metrics")) {
      if (j.getValue(k) != null) {
        meta.put(k, String.valueOf(j.getValue(k)));
      }
    }
    return write(card, toBytes(spec, w, meta), dir);
  }

  /**
   * Writes the exported model {@code onnx} (and its card) again into {@code dir} as the mean over
   * {@code views} views ({@link NetSpec#views()}): the same weights, the card's {@code net} and the
   * graph's metadata updated, the earlier file's sha256 kept in the card as {@code weightsFrom}.
   */
  public static ModelCard withViews(Path onnx, int views, Path dir) {
    OnnxImporter.Imported im = OnnxImporter.read(onnx);
    NetSpec spec = im.spec().withViews(views);
    ModelCard card;
    try {
      card = ModelCard.read(onnx.resolveSibling(ModelCard.FILE));
    } catch (IOException e) {
      throw new ModelException("cannot read the card next to " + onnx + ": " + e.getMessage(), e);
    }
    Map<String, String> meta = new LinkedHashMap<>(im.metadata());
    meta.put("net", spec.toJson().encode());
    card =
        card.with("net", spec.toJson())
            .with(
                "weightsFrom",
                new JsonObject().put("sha256", sha256(onnx)).put("views", im.spec().views()));
    return write(card, toBytes(spec, im.weights(), meta), dir);
  }

  /**
   * Writes {@code bytes} as {@code dir/model.onnx} and the card with their sha256 as {@code
   * dir/card.json}, each via a temporary file and a rename; returns the card as written.
   */
  static ModelCard write(ModelCard card, byte[] bytes, Path dir) {
    ModelCard out = card.withSha256(sha256(bytes));
    try {
      Files.createDirectories(dir);
      writeAtomically(dir.resolve(ModelCard.MODEL_FILE), bytes);
      writeAtomically(
          dir.resolve(ModelCard.FILE),
          (out.toJson().encodePrettily() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException | SecurityException e) {
      throw new ModelException("cannot write the model to " + dir + ": " + e, e);
    }
    return out;
  }

  /** Fails with a one-line error unless {@code dir} exists or can be made, and is writable. */
  public static void checkWritable(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException | SecurityException e) {
      throw new ModelException("cannot create output directory " + dir + ": " + e);
    }
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new ModelException("output directory " + dir + " is not writable");
    }
  }

  static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path tmp =
        Files.createTempFile(
            file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, bytes);
      try {
        Files.setPosixFilePermissions(
            tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: keep the default permissions
      }
      moveAtomically(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Renames {@code tmp} over {@code file} atomically where the file system can. */
  static void moveAtomically(Path tmp, Path file) throws IOException {
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(Path file) {
    try {
      return sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ModelException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
