package dev.denoiser.testing;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.denoiser.inference.ModelLoader;
import dev.denoiser.model.ModelCard;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes small but real ONNX models with the service's signature for serving tests: a 3x3 conv to
 * {@code channels} feature maps with ReLU, a 3x3 conv back to one channel with a sigmoid ({@code
 * denoised}), and the global average of the feature maps ({@code latent}, D = channels). The
 * weights come from a seed, so two versions with different seeds give different outputs.
 */
public final class TestModels {
  private TestModels() {}

  /** A fully convolutional model (any HxW) in {@code root/name}, with its card. */
  public static Path write(Path root, String name, long version, long seed) {
    return write(root, name, version, seed, 0, 0, 4);
  }

  /** A model fixed to {@code h x w} (h = 0 for dynamic) in {@code root/name}, with its card. */
  public static Path write(
      Path root, String name, long version, long seed, int h, int w, int channels) {
    byte[] onnx = onnx(seed, h, w, channels, "denoised");
    return writeDir(root.resolve(name), name, version, onnx, h, w, channels);
  }

  public static Path writeDir(
      Path dir, String name, long version, byte[] onnx, int h, int w, int latentDim) {
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve(ModelCard.MODEL_FILE), onnx);
      ModelCard card =
          new ModelCard(
              name,
              "test-conv",
              version,
              ModelLoader.sha256(onnx),
              h,
              w,
              1,
              latentDim,
              new JsonObject().put("noise", "gaussian:0.3").put("notes", "test model"));
      card.write(dir.resolve(ModelCard.FILE));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The ONNX bytes; {@code denoisedName} other than "denoised" makes a model with a wrong
   * signature.
   */
  public static byte[] onnx(long seed, int h, int w, int channels, String denoisedName) {
    Random rnd = new Random(seed);
    GraphProto.Builder g = GraphProto.newBuilder().setName("test-conv");
    g.addInitializer(tensor("w1", new long[] {channels, 1, 3, 3}, rnd, 0.5f));
    g.addInitializer(tensor("b1", new long[] {channels}, rnd, 0.1f));
    g.addInitializer(tensor("w2", new long[] {1, channels, 3, 3}, rnd, 0.5f));
    g.addInitializer(tensor("b2", new long[] {1}, rnd, 0.1f));
    g.addNode(conv("noisy", "w1", "b1", "c1"));
    g.addNode(NodeProto.newBuilder().setOpType("Relu").addInput("c1").addOutput("r1"));
    g.addNode(conv("r1", "w2", "b2", "c2"));
    g.addNode(NodeProto.newBuilder().setOpType("Sigmoid").addInput("c2").addOutput(denoisedName));
    g.addNode(
        NodeProto.newBuilder().setOpType("GlobalAveragePool").addInput("r1").addOutput("gap"));
    g.addNode(
        NodeProto.newBuilder()
            .setOpType("Flatten")
            .addInput("gap")
            .addOutput("latent")
            .addAttribute(
                AttributeProto.newBuilder()
                    .setName("axis")
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(1)));
    Object hd = h > 0 ? (Object) (long) h : "H";
    Object wd = w > 0 ? (Object) (long) w : "W";
    g.addInput(value("noisy", "N", 1L, hd, wd));
    g.addOutput(value(denoisedName, "N", 1L, hd, wd));
    g.addOutput(value("latent", "N", (long) channels));
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("stream-denoiser-tests")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .setGraph(g)
        .build()
        .toByteArray();
  }

  private static NodeProto conv(String x, String w, String b, String out) {
    return NodeProto.newBuilder()
        .setOpType("Conv")
        .addInput(x)
        .addInput(w)
        .addInput(b)
        .addOutput(out)
        .addAttribute(
            AttributeProto.newBuilder()
                .setName("pads")
                .setType(AttributeProto.AttributeType.INTS)
                .addInts(1)
                .addInts(1)
                .addInts(1)
                .addInts(1))
        .addAttribute(
            AttributeProto.newBuilder()
                .setName("kernel_shape")
                .setType(AttributeProto.AttributeType.INTS)
                .addInts(3)
                .addInts(3))
        .build();
  }

  private static TensorProto tensor(String name, long[] dims, Random rnd, float scale) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber());
    long n = 1;
    for (long d : dims) {
      t.addDims(d);
      n *= d;
    }
    for (long i = 0; i < n; i++) {
      t.addFloatData((float) rnd.nextGaussian() * scale);
    }
    return t.build();
  }

  private static ValueInfoProto value(String name, Object... dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      s.addDim(
          d instanceof Long l
              ? TensorShapeProto.Dimension.newBuilder().setDimValue(l)
              : TensorShapeProto.Dimension.newBuilder().setDimParam((String) d));
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT.getNumber())
                        .setShape(s)))
        .build();
  }

  /**
   * Reference forward pass in plain Java, to check what ONNX Runtime returns through the service.
   */
  public static float[] reference(byte[] onnx, float[] px, int h, int w) {
    try {
      ModelProto m = ModelProto.parseFrom(onnx);
      List<float[]> ws = new ArrayList<>();
      for (TensorProto t : m.getGraph().getInitializerList()) {
        float[] a = new float[t.getFloatDataCount()];
        for (int i = 0; i < a.length; i++) {
          a[i] = t.getFloatData(i);
        }
        ws.add(a);
      }
      int c = ws.get(1).length;
      float[][] r1 = new float[c][];
      for (int k = 0; k < c; k++) {
        float[] o = conv3x3(new float[][] {px}, ws.get(0), k, ws.get(1)[k], h, w);
        for (int i = 0; i < o.length; i++) {
          o[i] = Math.max(0, o[i]);
        }
        r1[k] = o;
      }
      float[] out = conv3x3(r1, ws.get(2), 0, ws.get(3)[0], h, w);
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (1 / (1 + Math.exp(-out[i])));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static float[] conv3x3(float[][] in, float[] wt, int outCh, float bias, int h, int w) {
    int cin = in.length;
    float[] o = new float[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float s = bias;
        for (int ci = 0; ci < cin; ci++) {
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              int yy = y + dy;
              int xx = x + dx;
              if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                s += in[ci][yy * w + xx] * wt[((outCh * cin + ci) * 3 + (dy + 1)) * 3 + (dx + 1)];
              }
            }
          }
        }
        o[y * w + x] = s;
      }
    }
    return o;
  }
}
