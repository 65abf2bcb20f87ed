package dev.denoiser.model;

import java.util.List;

/**
 * The optional input-to-output skip of the convolutional models ({@link NetSpec#skip()}): a 3x3
 * convolution of the noisy input, added to the decoder's logits.
 */
final class Skip {
  private Skip() {}

  static List<ParamSpec> params(NetSpec s) {
    return s.skip() ? List.of(ParamSpec.conv("skip", 1, 1, false)) : List.of();
  }

  static <T> T apply(Ops<T> o, T logits, T x, NetSpec s) {
    return s.skip() ? o.add(logits, o.conv(x, "skip", 1)) : logits;
  }
}
