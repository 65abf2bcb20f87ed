package dev.denoiser.model;

import java.util.List;

/**
 * A named autoencoder architecture: the parameters it declares for a {@link NetSpec} and its
 * forward pass, written once against {@link Ops} so that training (DJL) and export (ONNX) run the
 * same graph. Inputs are [N,C,H,W] in [0,1]; {@link Result#logits} are pre-sigmoid, or for a {@link
 * #residual()} architecture the unclipped output.
 */
public interface Architecture {
  /**
   * What a forward pass produces: output logits [N,1,H,W], the published latent [N,D], and for
   * variational models the posterior's mean and log-variance.
   */
  record Result<T>(T logits, T latent, T mu, T logvar) {
    public Result(T logits, T latent) {
      this(logits, latent, null, null);
    }
  }

  String name();

  /** One paragraph for the card: what the latent is and what the model is good for. */
  String description();

  List<ParamSpec> params(NetSpec spec);

  <T> Result<T> forward(Ops<T> ops, T x, NetSpec spec);

  int latentDim(NetSpec spec);

  /**
   * True when the model takes any H, W that are multiples of {@link #sizeMultiple()}; false for
   * fixed 28x28 models.
   */
  default boolean fullyConvolutional() {
    return false;
  }

  default int sizeMultiple() {
    return 1;
  }

  default boolean variational() {
    return false;
  }

  /**
   * True when {@link Result#logits} is the denoised image itself (noisy input plus a learned
   * residual, clipped to [0,1] at inference and in the exported graph) rather than pre-sigmoid
   * logits; such models train on the squared error.
   */
  default boolean residual() {
    return false;
  }
}
