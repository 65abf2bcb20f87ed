package dev.denoiser.model;

/**
 * {@code conv-upsample}, the default denoiser: two 3x3 stride-2 convolutions down to H/4 x W/4
 * with {@code c2} channels, then twice nearest-neighbour upsampling followed by a 3x3 convolution.
 * Every output pixel is computed the same way whatever its position, so there is no
 * checkerboard. Fully convolutional (H, W multiples of 4); the latent is the bottleneck averaged
 * over positions ([N,c2]).
 */
public final class ConvUpsampleAe extends ConvAe {
  @Override
  public String name() {
    return "conv-upsample";
  }

  @Override
  public String description() {
    return "Strided-conv encoder, nearest-neighbour upsampling + conv decoder (no checkerboard). "
        + "Latent: the H/4 x W/4 bottleneck averaged over positions (global average pooling), "
        + "one value per channel; it summarises the image's strokes, not their positions.";
  }

  @Override
  boolean transposedDecoder() {
    return false;
  }

  @Override
  public <T> Result<T> forward(Ops<T> o, T x, NetSpec s) {
    T h = o.relu(o.conv(x, "enc1", 2));
    T code = o.relu(o.conv(h, "enc2", 2));
    T d = o.relu(o.conv(o.upsample(code), "dec1", 1));
    T logits = o.conv(o.upsample(d), "dec2", 1);
    return new Result<>(Skip.apply(o, logits, x, s), o.globalAvgPool(code));
  }
}
