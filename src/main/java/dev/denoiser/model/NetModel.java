package dev.denoiser.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A network in DJL (PyTorch engine): its {@link NetSpec} and parameter arrays, trainable. The
 * forward pass is the architecture's, run through {@link DjlOps}. Close it to free native memory.
 */
public final class NetModel implements AutoCloseable {
  /** Denoised images [n,c,h,w] and latent codes [n,latentDim], row-major. */
  public record Prediction(float[] denoised, float[] latent, int latentDim) {}

  private final NetSpec spec;
  private final NDManager manager;
  private final Map<String, NDArray> params = new LinkedHashMap<>();

  private NetModel(NetSpec spec, Weights w) {
    this.spec = spec;
    w.check(spec.arch().params(spec), "weights for " + spec.architecture());
    this.manager = Torch.newManager();
    for (ParamSpec p : spec.arch().params(spec)) {
      Weights.Tensor t = w.get(p.name());
      NDArray a = manager.create(t.data(), new Shape(t.shape()));
      a.setRequiresGradient(true);
      params.put(p.name(), a);
    }
  }

  /** A network with the given weights (checked against the spec). */
  public static NetModel of(NetSpec spec, Weights w) {
    return new NetModel(spec, w);
  }

  /** A freshly initialised network; the same seed gives the same weights. */
  public static NetModel init(NetSpec spec, long seed) {
    return new NetModel(spec, Weights.init(spec.arch().params(spec), seed));
  }

  public NetSpec spec() {
    return spec;
  }

  public Architecture arch() {
    return spec.arch();
  }

  NDManager manager() {
    return manager;
  }

  Map<String, NDArray> params() {
    return params;
  }

  /**
   * The forward pass; {@code sampler} non-null only while training a VAE. An operation's result
   * belongs to its first operand's manager, so what is computed from a parameter alone (a flipped
   * or folded kernel, a repeated bias) would pile up on this model's manager, step after step.
   * While {@code x}'s manager is open the parameters are therefore lent to it, which frees those
   * arrays with the step's other temporaries and hands the parameters back.
   */
  public Architecture.Result<NDArray> forward(NDArray x, SplittableRandom sampler) {
    NDManager scope = x.getManager();
    if (scope != manager) {
      for (NDArray p : params.values()) {
        if (p.getManager() == manager) {
          p.tempAttach(scope);
        }
      }
    }
    return arch().forward(new DjlOps(params, sampler), x, spec);
  }

  /** Inference on {@code n} images of h x w in [0,1]: the reference the ONNX export must match. */
  public Prediction predict(float[] pixels, int n, int h, int w) {
    String problem = shapeProblem(h, w);
    if (problem != null) {
      throw new ModelException(problem);
    }
    try (NDManager sub = manager.newSubManager()) {
      NDArray x = sub.create(pixels, new Shape(n, spec.channels(), h, w));
      boolean was = ai.djl.pytorch.jni.JniUtils.isGradMode();
      ai.djl.pytorch.jni.JniUtils.setGradMode(false);
      try {
        Architecture.Result<NDArray> r = forward(x, null);
        return new Prediction(
            output(r.logits()).toFloatArray(), r.latent().toFloatArray(), arch().latentDim(spec));
      } finally {
        ai.djl.pytorch.jni.JniUtils.setGradMode(was);
      }
    }
  }

  /** The denoised image from a forward pass's {@link Architecture.Result#logits}. */
  NDArray output(NDArray logits) {
    return arch().residual() ? logits.clip(0f, 1f) : logits.getNDArrayInternal().sigmoid();
  }

  /** Null if the network takes h x w inputs, else a one-line reason. */
  public String shapeProblem(int h, int w) {
    Architecture a = arch();
    if (!a.fullyConvolutional()) {
      return h == 28 && w == 28
          ? null
          : "architecture " + a.name() + " takes 28x28 images, got " + h + "x" + w;
    }
    int m = a.sizeMultiple();
    return h > 0 && w > 0 && h % m == 0 && w % m == 0
        ? null
        : "architecture "
            + a.name()
            + " takes sizes that are positive multiples of "
            + m
            + ", got "
            + h
            + "x"
            + w;
  }

  /** A copy of the current parameters. */
  public Weights weights() {
    Weights w = new Weights();
    params.forEach((k, v) -> w.put(k, v.getShape().getShape(), v.toFloatArray()));
    return w;
  }

  /** Starts recording for backpropagation. */
  GradientCollector gradients() {
    return Torch.engine().newGradientCollector();
  }

  @Override
  public void close() {
    manager.close();
  }
}
