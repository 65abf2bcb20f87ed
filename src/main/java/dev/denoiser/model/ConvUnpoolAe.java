package dev.denoiser.model;

/**
 * {@code conv-unpool}: 3x3 convolutions with 2x2 max pooling down to H/4 x W/4, and a decoder that
 * max-unpools with the encoder's pooling indices (ONNX MaxPool with its Indices output, then
 * MaxUnpool). Fully convolutional (multiples of 4); latent is the globally averaged bottleneck. The
 * indices carry where every maximum was, so the decoder gets position information that is not in
 * the latent: the latent alone cannot reconstruct the image.
 */
public final class ConvUnpoolAe extends ConvAe {
  @Override
  public String name() {
    return "conv-unpool";
  }

  @Override
  public String description() {
    return "Max-pooling encoder, max-unpooling decoder that reuses the pooling indices. "
        + "Latent: the H/4 x W/4 bottleneck averaged over positions. Caveat: the decoder also "
        + "reads the pooling indices (where each maximum was), which are not part of the latent, "
        + "so the latent alone does not determine the output; treat it as a descriptor only.";
  }

  @Override
  boolean transposedDecoder() {
    return false;
  }

  @Override
  public <T> Result<T> forward(Ops<T> o, T x, NetSpec s) {
    Ops.Pooled<T> p1 = o.maxPool(o.relu(o.conv(x, "enc1", 1)));
    Ops.Pooled<T> p2 = o.maxPool(o.relu(o.conv(p1.values(), "enc2", 1)));
    T code = p2.values();
    T d = o.relu(o.conv(o.unpool(code, p2), "dec1", 1));
    T logits = o.conv(o.unpool(d, p1), "dec2", 1);
    return new Result<>(Skip.apply(o, logits, x, s), o.globalAvgPool(code));
  }
}
