package dev.denoiser.model;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code conv-upsample}, the default denoiser: two 3x3 stride-2 convolutions down to H/4 x W/4 with
 * {@code c2} channels, then twice nearest-neighbour upsampling followed by a 3x3 convolution. Every
 * output pixel is computed the same way whatever its position, so there is no checkerboard.
 * Optionally ({@link NetSpec#mid()}, {@link NetSpec#unet()}) more 3x3 convolutions at the
 * bottleneck ({@code mid1}, {@code mid2}, ...) and the first encoder level added to the first
 * decoder level. Fully convolutional (H, W multiples of 4); the latent is the encoder's bottleneck
 * averaged over positions ([N,c2]).
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
  public List<ParamSpec> params(NetSpec s) {
    List<ParamSpec> p = new ArrayList<>(super.params(s));
    for (int i = 1; i <= s.mid(); i++) {
      p.addAll(List.of(ParamSpec.conv("mid" + i, s.c2(), s.c2(), true)));
    }
    return p;
  }

  @Override
  public <T> Result<T> forward(Ops<T> o, T x, NetSpec s) {
    T h = o.relu(o.conv(x, "enc1", 2));
    T code = o.relu(o.conv(h, "enc2", 2));
    T m = code;
    for (int i = 1; i <= s.mid(); i++) {
      m = o.relu(o.conv(m, "mid" + i, 1));
    }
    T d = o.relu(o.upsampleConv(m, "dec1"));
    if (s.unet()) {
      d = o.add(d, h);
    }
    T logits = o.upsampleConv(d, "dec2");
    return new Result<>(Skip.apply(o, logits, x, s), o.globalAvgPool(code));
  }
}
