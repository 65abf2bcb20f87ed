package dev.denoiser.model;

/**
 * {@code conv-transpose}: the encoder of {@link ConvUpsampleAe}, and a decoder of two 3x3 stride-2
 * transposed convolutions (exported as ONNX ConvTranspose). Where the kernel overlaps unevenly (3
 * is not a multiple of the stride 2) even and odd output pixels get different sums of weights: the
 * source of checkerboard artifacts. Fully convolutional (multiples of 4); latent is the globally
 * averaged bottleneck ([N,c2]).
 */
public final class ConvTransposeAe extends ConvAe {
  @Override
  public String name() {
    return "conv-transpose";
  }

  @Override
  public String description() {
    return "Strided-conv encoder, transposed-convolution decoder (3x3, stride 2: uneven overlap, "
        + "prone to checkerboard patterns). Latent: the H/4 x W/4 bottleneck averaged over "
        + "positions (global average pooling), one value per channel.";
  }

  @Override
  boolean transposedDecoder() {
    return true;
  }

  @Override
  public <T> Result<T> forward(Ops<T> o, T x, NetSpec s) {
    T h = o.relu(o.conv(x, "enc1", 2));
    T code = o.relu(o.conv(h, "enc2", 2));
    T d = o.relu(o.convTranspose(code, "dec1"));
    T logits = o.convTranspose(d, "dec2");
    return new Result<>(Skip.apply(o, logits, x, s), o.globalAvgPool(code));
  }
}
