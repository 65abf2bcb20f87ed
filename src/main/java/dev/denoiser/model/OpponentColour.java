package dev.denoiser.model;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A colour denoiser made from a gray one: RGB is turned into three decorrelated channels (mean
 * intensity, red minus blue, green against magenta, each scaled into [0,1]; the rows of the
 * transform are orthogonal, so independent Gaussian noise on R, G and B stays independent Gaussian
 * noise on the three channels, with a lower sigma), each channel is denoised by the gray network as
 * one gray image, and the result is turned back into RGB. Colour photographs have most of their
 * detail in the intensity channel and smooth colour-difference channels, which a blind gray
 * denoiser cleans well. Exported as one ONNX graph with the usual contract, input {@code noisy}
 * [N,3,H,W], outputs {@code denoised} [N,3,H,W] and {@code latent} [N,3*D] (the gray network's
 * latent of each channel).
 */
public final class OpponentColour {
  /** Rows: (R+G+B)/3, (R-B)/2 + 1/2, (R-2G+B)/4 + 1/2. */
  static final float[][] FORWARD = {
    {1f / 3, 1f / 3, 1f / 3}, {0.5f, 0f, -0.5f}, {0.25f, -0.5f, 0.25f}
  };

  static final float[] OFFSET = {0f, 0.5f, 0.5f};

  /** The card's notes for {@code natural-color}. */
  public static final String NOTES =
      "RGB in, RGB out: natural-gray run on three decorrelated "
          + "colour channels (mean intensity, red minus blue, green against magenta), made without "
          + "training by 'export --name natural-color --colour-from models/natural-gray/model.onnx'.";

  private OpponentColour() {}

  /** The inverse of {@link #FORWARD} (computed, so the two cannot drift apart). */
  static float[][] inverse() {
    double[][] a = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        a[i][j] = FORWARD[i][j];
      }
    }
    double det =
        a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
            - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
            + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    float[][] inv = new float[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        int r1 = (j + 1) % 3;
        int r2 = (j + 2) % 3;
        int c1 = (i + 1) % 3;
        int c2 = (i + 2) % 3;
        inv[i][j] = (float) ((a[r1][c1] * a[r2][c2] - a[r1][c2] * a[r2][c1]) / det);
      }
    }
    return inv;
  }

  /** The serialised colour model around the gray network {@code spec} with weights {@code w}. */
  public static byte[] toBytes(NetSpec spec, Weights w, Map<String, String> metadata) {
    if (spec.channels() != 1 || !spec.arch().residual()) {
      throw new ModelException("the colour wrapper needs a gray residual network, got " + spec);
    }
    w.check(spec.arch().params(spec), "weights for " + spec.architecture());
    GraphProto.Builder g = GraphProto.newBuilder().setName(spec.architecture() + "-opponent");
    g.addInput(OnnxExporter.valueInfo(ModelCard.INPUT, "N", 3, "H", "W"));
    OnnxOps ops = new OnnxOps(g, w);
    float[] back = new float[3];
    float[][] inv = inverse();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        back[i] -= inv[i][j] * OFFSET[j];
      }
    }
    String planes = ops.reshapeTo(ops.mix(ModelCard.INPUT, FORWARD, OFFSET), -1, 1, 0, 0);
    Architecture.Result<String> r = OnnxExporter.forward(ops, spec, planes);
    String rgb = ops.mix(ops.reshapeTo(r.logits(), -1, 3, 0, 0), inv, back);
    ops.clip(rgb, 0f, 1f, ModelCard.OUTPUT_DENOISED);
    int d = spec.arch().latentDim(spec);
    ops.node(
        "Reshape",
        List.of(r.latent(), ops.reshapeConst(-1, 3L * d)),
        List.of(ModelCard.OUTPUT_LATENT));
    g.addOutput(OnnxExporter.valueInfo(ModelCard.OUTPUT_DENOISED, "N", 3, "H", "W"));
    g.addOutput(OnnxExporter.valueInfo(ModelCard.OUTPUT_LATENT, "N", 3 * d));
    ModelProto.Builder m =
        ModelProto.newBuilder()
            .setIrVersion(OnnxExporter.IR_VERSION)
            .setProducerName(OnnxExporter.PRODUCER)
            .setProducerVersion("0.1.0")
            .setModelVersion(1)
            .addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxExporter.OPSET))
            .setGraph(g);
    metadata.forEach(
        (k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return m.build().toByteArray();
  }

  /**
   * Writes the colour model {@code name} next to the gray model it wraps: {@code dir/model.onnx}
   * and a card with {@code channels: 3}, {@code colour: opponent} and the gray model's name and
   * sha256. Returns the card. The colour model is one pass of the gray network, whatever the gray
   * model's {@link NetSpec#views()}: three channels already cost three passes.
   */
  public static ModelCard export(
      String name, Path grayOnnx, Path dir, long version, JsonObject extra) {
    OnnxImporter.Imported gray = OnnxImporter.read(grayOnnx);
    NetSpec spec = gray.spec().withViews(1);
    int d = spec.arch().latentDim(spec);
    JsonObject j =
        (extra == null ? new JsonObject() : extra.copy())
            .put("net", spec.toJson())
            .put("channels", 3)
            .put("colour", "opponent")
            .put("grayModel", gray.metadata().getOrDefault("name", ""))
            .put("graySha256", OnnxExporter.sha256(grayOnnx))
            .put(
                "description",
                "Colour wrapper of a gray denoiser: RGB to three decorrelated "
                    + "channels, each denoised by the gray network, and back. Latent: the gray "
                    + "network's latent of each channel, concatenated.")
            .put("inputs", new JsonObject().put(ModelCard.INPUT, "[N,3,H,W] float32 in [0,1]"))
            .put(
                "outputs",
                new JsonObject()
                    .put(ModelCard.OUTPUT_DENOISED, "[N,3,H,W] float32 in [0,1]")
                    .put(ModelCard.OUTPUT_LATENT, "[N," + 3 * d + "] float32"))
            .put("format", "onnx")
            .put("opset", OnnxExporter.OPSET);
    ModelCard card =
        new ModelCard(
            name, spec.architecture(), version, null, 0, 0, spec.arch().sizeMultiple(), 3 * d, j);
    java.util.Map<String, String> meta = new java.util.LinkedHashMap<>();
    meta.put("name", name);
    meta.put("architecture", spec.architecture());
    meta.put("version", String.valueOf(version));
    meta.put("colour", "opponent");
    byte[] bytes = toBytes(spec, gray.weights(), meta);
    return OnnxExporter.write(card, bytes, dir);
  }
}
