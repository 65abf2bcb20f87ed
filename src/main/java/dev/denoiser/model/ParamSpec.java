package dev.denoiser.model;

/**
 * One parameter of an architecture: its name, its shape and the half-width of the uniform
 * distribution it starts from (0 for biases).
 */
public record ParamSpec(String name, long[] shape, double bound) {
  public long size() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** A 3x3 convolution {@code name.w} [out,in,3,3] plus bias; He init when ReLU follows. */
  public static ParamSpec[] conv(String name, int in, int out, boolean relu) {
    double fanIn = in * 9.0;
    return new ParamSpec[] {
      new ParamSpec(name + ".w", new long[] {out, in, 3, 3}, Math.sqrt((relu ? 6 : 3) / fanIn)),
      new ParamSpec(name + ".b", new long[] {out}, 0)
    };
  }

  /**
   * A stride-2 3x3 transposed convolution {@code name.w} in ONNX ConvTranspose layout [in,out,3,3];
   * on average an output pixel sees in*9/4 inputs.
   */
  public static ParamSpec[] convTranspose(String name, int in, int out, boolean relu) {
    double fanIn = in * 9.0 / 4;
    return new ParamSpec[] {
      new ParamSpec(name + ".w", new long[] {in, out, 3, 3}, Math.sqrt((relu ? 6 : 3) / fanIn)),
      new ParamSpec(name + ".b", new long[] {out}, 0)
    };
  }

  /** A 1x1 convolution {@code name.w} [out,in,1,1] plus bias; He init when ReLU follows. */
  public static ParamSpec[] conv1x1(String name, int in, int out, boolean relu) {
    return new ParamSpec[] {
      new ParamSpec(
          name + ".w", new long[] {out, in, 1, 1}, Math.sqrt((relu ? 6 : 3) / (double) in)),
      new ParamSpec(name + ".b", new long[] {out}, 0)
    };
  }

  /** A dense layer {@code name.w} [out,in] plus bias. */
  public static ParamSpec[] dense(String name, int in, int out, boolean relu) {
    return new ParamSpec[] {
      new ParamSpec(name + ".w", new long[] {out, in}, Math.sqrt((relu ? 6 : 3) / (double) in)),
      new ParamSpec(name + ".b", new long[] {out}, 0)
    };
  }
}
