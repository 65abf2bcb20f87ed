package dev.denoiser.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Named float32 tensors (the parameters of one network), in declaration order. This is the
 * engine-free form of a model: the trainer turns it into DJL arrays, the exporter into ONNX
 * initializers, and the importer reads it back from a {@code model.onnx}.
 */
public final class Weights {
  /** One tensor: its shape and row-major data. */
  public record Tensor(long[] shape, float[] data) {
    public Tensor {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      if (n != data.length) {
        throw new ModelException(
            "tensor of shape " + Arrays.toString(shape) + " has " + data.length + " values");
      }
    }
  }

  private final Map<String, Tensor> tensors = new LinkedHashMap<>();

  public void put(String name, long[] shape, float[] data) {
    tensors.put(name, new Tensor(shape.clone(), data));
  }

  public Tensor get(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new ModelException("no parameter '" + name + "' in the weights");
    }
    return t;
  }

  public boolean has(String name) {
    return tensors.containsKey(name);
  }

  public Map<String, Tensor> asMap() {
    return Collections.unmodifiableMap(tensors);
  }

  /** Total number of parameters. */
  public long count() {
    return tensors.values().stream().mapToLong(t -> t.data().length).sum();
  }

  /**
   * Fresh weights for {@code specs}: uniform in [-bound, bound] from a generator seeded by {@code
   * seed} and the parameter's position, so the same seed gives the same network.
   */
  public static Weights init(List<ParamSpec> specs, long seed) {
    Weights w = new Weights();
    int i = 0;
    for (ParamSpec s : specs) {
      SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + (i++));
      float[] data = new float[(int) s.size()];
      for (int k = 0; k < data.length; k++) {
        data[k] = (float) ((rng.nextDouble() * 2 - 1) * s.bound());
      }
      w.put(s.name(), s.shape(), data);
    }
    return w;
  }

  /** Checks that these weights have exactly the parameters and shapes of {@code specs}. */
  public void check(List<ParamSpec> specs, String what) {
    for (ParamSpec s : specs) {
      Tensor t = tensors.get(s.name());
      if (t == null || !Arrays.equals(t.shape(), s.shape())) {
        throw new ModelException(
            what
                + ": parameter '"
                + s.name()
                + "' should have shape "
                + Arrays.toString(s.shape())
                + ", found "
                + (t == null ? "none" : Arrays.toString(t.shape())));
      }
    }
  }
}
