package dev.denoiser.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What the three convolutional autoencoders share: an encoder of two 3x3 convolutions ({@code
 * enc1}: 1 to c1, {@code enc2}: c1 to c2) that brings H x W down to H/4 x W/4, a decoder of two
 * layers ({@code dec1}: c2 to c1, {@code dec2}: c1 to 1) that brings it back, the optional input
 * skip, and a latent that is the bottleneck averaged over positions ([N,c2]). Fully convolutional:
 * any H, W that are multiples of 4.
 */
abstract class ConvAe implements Architecture {
  /** Whether the decoder's layers are transposed convolutions rather than plain ones. */
  abstract boolean transposedDecoder();

  @Override
  public List<ParamSpec> params(NetSpec s) {
    List<ParamSpec> p = new ArrayList<>(Skip.params(s));
    p.addAll(List.of(ParamSpec.conv("enc1", 1, s.c1(), true)));
    p.addAll(List.of(ParamSpec.conv("enc2", s.c1(), s.c2(), true)));
    if (transposedDecoder()) {
      p.addAll(List.of(ParamSpec.convTranspose("dec1", s.c2(), s.c1(), true)));
      p.addAll(List.of(ParamSpec.convTranspose("dec2", s.c1(), 1, false)));
    } else {
      p.addAll(List.of(ParamSpec.conv("dec1", s.c2(), s.c1(), true)));
      p.addAll(List.of(ParamSpec.conv("dec2", s.c1(), 1, false)));
    }
    return p;
  }

  @Override
  public int latentDim(NetSpec s) {
    return s.c2();
  }

  @Override
  public boolean fullyConvolutional() {
    return true;
  }

  @Override
  public int sizeMultiple() {
    return 4;
  }
}
