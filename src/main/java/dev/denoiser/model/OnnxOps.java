package dev.denoiser.model;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link Ops} that emit ONNX nodes (opset 17) into a graph instead of computing: a tensor is the
 * name of a value in the graph. Parameters become float32 initializers named as in the {@link
 * Weights}. The transposed convolution is a real {@code ConvTranspose} (the weights are already
 * stored in its [in,out,kH,kW] layout), upsampling is {@code Resize} (nearest, asymmetric, floor),
 * pooling is {@code MaxPool} with its {@code Indices} output feeding {@code MaxUnpool}.
 */
final class OnnxOps implements Ops<String> {
  private final GraphProto.Builder graph;
  private final Weights weights;
  private final Set<String> initialized = new HashSet<>();
  private int counter;

  OnnxOps(GraphProto.Builder graph, Weights weights) {
    this.graph = graph;
    this.weights = weights;
  }

  private String fresh(String op) {
    return op.toLowerCase(java.util.Locale.ROOT) + "_" + (counter++);
  }

  /** Adds a node with one fresh output and returns the output's name. */
  String node(String op, List<String> inputs, AttributeProto... attrs) {
    String out = fresh(op);
    node(op, inputs, List.of(out), attrs);
    return out;
  }

  void node(String op, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
    NodeProto.Builder n =
        NodeProto.newBuilder()
            .setOpType(op)
            .setName(fresh(op + "_node"))
            .addAllInput(inputs)
            .addAllOutput(outputs);
    for (AttributeProto a : attrs) {
      n.addAttribute(a);
    }
    graph.addNode(n);
  }

  private String param(String name) {
    if (initialized.add(name)) {
      Weights.Tensor t = weights.get(name);
      graph.addInitializer(floatTensor(name, t.shape(), t.data()));
    }
    return name;
  }

  static TensorProto floatTensor(String name, long[] shape, float[] data) {
    ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(data);
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT.getNumber())
            .setRawData(ByteString.copyFrom(buf.array()));
    for (long d : shape) {
      t.addDims(d);
    }
    return t.build();
  }

  private String constLongs(long... values) {
    String name = fresh("const");
    ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.asLongBuffer().put(values);
    graph.addInitializer(
        TensorProto.newBuilder()
            .setName(name)
            .addDims(values.length)
            .setDataType(TensorProto.DataType.INT64.getNumber())
            .setRawData(ByteString.copyFrom(buf.array())));
    return name;
  }

  static AttributeProto ints(String name, long... v) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) {
      a.addInts(x);
    }
    return a.build();
  }

  static AttributeProto integer(String name, long v) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(v)
        .build();
  }

  static AttributeProto string(String name, String v) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFrom(v, StandardCharsets.UTF_8))
        .build();
  }

  @Override
  public String conv(String x, String layer, int stride) {
    return node(
        "Conv",
        List.of(x, param(layer + ".w"), param(layer + ".b")),
        ints("kernel_shape", 3, 3),
        ints("strides", stride, stride),
        ints("pads", 1, 1, 1, 1));
  }

  @Override
  public String convTranspose(String x, String layer) {
    return node(
        "ConvTranspose",
        List.of(x, param(layer + ".w"), param(layer + ".b")),
        ints("kernel_shape", 3, 3),
        ints("strides", 2, 2),
        ints("pads", 1, 1, 1, 1),
        ints("output_padding", 1, 1));
  }

  /** An int64 shape constant. */
  String reshapeConst(long... dims) {
    return constLongs(dims);
  }

  /** Reshape to the given dims (0 copies the input's dim, -1 is inferred). */
  String reshapeTo(String x, long... dims) {
    return node("Reshape", List.of(x, constLongs(dims)));
  }

  /** A 1x1 convolution with a constant [out,in] matrix and bias. */
  String mix(String x, float[][] m, float[] bias) {
    int out = m.length;
    int in = m[0].length;
    float[] w = new float[out * in];
    for (int o = 0; o < out; o++) {
      System.arraycopy(m[o], 0, w, o * in, in);
    }
    String wn = fresh("mix_w");
    String bn = fresh("mix_b");
    graph.addInitializer(floatTensor(wn, new long[] {out, in, 1, 1}, w));
    graph.addInitializer(floatTensor(bn, new long[] {out}, bias));
    return node("Conv", List.of(x, wn, bn), ints("kernel_shape", 1, 1));
  }

  /**
   * One of the eight symmetries of the square on the last two axes of {@code x}: {@code t} bit 1
   * flips the rows, bit 2 the columns, bit 4 then transposes. {@code inverse} undoes it.
   */
  String symmetry(String x, int t, boolean inverse) {
    String y = x;
    if (inverse && (t & 4) != 0) {
      y = node("Transpose", List.of(y), ints("perm", 0, 1, 3, 2));
    }
    if ((t & 1) != 0) {
      y = flip(y, 2);
    }
    if ((t & 2) != 0) {
      y = flip(y, 3);
    }
    if (!inverse && (t & 4) != 0) {
      y = node("Transpose", List.of(y), ints("perm", 0, 1, 3, 2));
    }
    return y;
  }

  private String flip(String x, long axis) {
    return node(
        "Slice",
        List.of(x, constLongs(-1), constLongs(Long.MIN_VALUE), constLongs(axis), constLongs(-1)));
  }

  /** {@code x} times a scalar. */
  String scale(String x, float f) {
    String k = fresh("scale");
    graph.addInitializer(floatTensor(k, new long[0], new float[] {f}));
    return node("Mul", List.of(x, k));
  }

  /** Clip(x, lo, hi) with scalar float bounds, into the named output. */
  void clip(String x, float lo, float hi, String out) {
    String min = fresh("min");
    String max = fresh("max");
    graph.addInitializer(floatTensor(min, new long[0], new float[] {lo}));
    graph.addInitializer(floatTensor(max, new long[0], new float[] {hi}));
    node("Clip", List.of(x, min, max), List.of(out));
  }

  /**
   * Nearest upsampling + 3x3 convolution. With a multiple of 8 output channels it is exported as it
   * is defined, {@code Resize} then {@code Conv}: ONNX Runtime runs both in its blocked (NCHWc)
   * layout, and a profile at 640x480 shows this about 1.7 times faster for the whole thin U-Net
   * than the sub-pixel form, whose {@code DepthToSpace} alone took a third of the time and forces
   * layout reorders. With fewer output channels (a one- or three-channel output layer), where the
   * blocked layout does not apply, it is exported in its sub-pixel form (see {@link SubPixel}): a
   * 3x3 convolution at the low resolution with the kernel folded per output phase, then
   * DepthToSpace. The folding is written as ONNX ops on the literal {@code layer.w}, which ONNX
   * Runtime folds into a constant when it loads the model, so the graph keeps the trained parameter
   * (and {@link OnnxImporter} reads it back) while inference never materialises the upsampled map.
   */
  @Override
  public String upsampleConv(String x, String layer) {
    Weights.Tensor t = weights.get(layer + ".w");
    long out = t.shape()[0];
    long in = t.shape()[1];
    if (out % 8 == 0) {
      return conv(upsample(x), layer, 1);
    }
    String fold = fresh("fold");
    graph.addInitializer(floatTensor(fold, new long[] {6, 3}, SubPixel.foldMatrix()));
    String foldT = node("Transpose", List.of(fold), ints("perm", 1, 0));
    String k = node("MatMul", List.of(node("MatMul", List.of(fold, param(layer + ".w"))), foldT));
    k = reshapeTo(k, out, in, 2, 3, 2, 3);
    k = node("Transpose", List.of(k), ints("perm", 0, 2, 4, 1, 3, 5));
    k = reshapeTo(k, 4 * out, in, 3, 3);
    String b = reshapeTo(param(layer + ".b"), out, 1);
    b = reshapeTo(node("Expand", List.of(b, constLongs(out, 4))), 4 * out);
    String y = node("Conv", List.of(x, k, b), ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1));
    return node("DepthToSpace", List.of(y), integer("blocksize", 2), string("mode", "CRD"));
  }

  @Override
  public String conv1x1Up(String x, String layer) {
    return upsample(
        node(
            "Conv",
            List.of(x, param(layer + ".w"), param(layer + ".b")),
            ints("kernel_shape", 1, 1)));
  }

  @Override
  public String upsample(String x) {
    String scales = fresh("scales");
    graph.addInitializer(floatTensor(scales, new long[] {4}, new float[] {1, 1, 2, 2}));
    return node(
        "Resize",
        List.of(x, "", scales),
        string("mode", "nearest"),
        string("coordinate_transformation_mode", "asymmetric"),
        string("nearest_mode", "floor"));
  }

  @Override
  public Pooled<String> maxPool(String x) {
    String values = fresh("pooled");
    String indices = fresh("indices");
    node(
        "MaxPool",
        List.of(x),
        List.of(values, indices),
        ints("kernel_shape", 2, 2),
        ints("strides", 2, 2));
    return new Pooled<>(values, indices);
  }

  @Override
  public String unpool(String x, Pooled<String> pooled) {
    return node(
        "MaxUnpool",
        List.of(x, pooled.indices()),
        ints("kernel_shape", 2, 2),
        ints("strides", 2, 2));
  }

  @Override
  public String dense(String x, String layer) {
    return node("Gemm", List.of(x, param(layer + ".w"), param(layer + ".b")), integer("transB", 1));
  }

  @Override
  public String relu(String x) {
    return node("Relu", List.of(x));
  }

  @Override
  public String flatten(String x) {
    return node("Flatten", List.of(x), integer("axis", 1));
  }

  @Override
  public String reshape(String x, int c, int h, int w) {
    return node("Reshape", List.of(x, constLongs(-1, c, h, w)));
  }

  @Override
  public String globalAvgPool(String x) {
    return flatten(node("GlobalAveragePool", List.of(x)));
  }

  @Override
  public String add(String a, String b) {
    return node("Add", List.of(a, b));
  }

  @Override
  public String sample(String mu, String logvar) {
    return mu;
  }
}
