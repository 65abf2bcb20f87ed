package dev.denoiser.model;

import java.util.List;

/**
 * The optional input-to-output skip of the convolutional models ({@link NetSpec#skip()}): one 3x3
 * convolution of the noisy input ({@code skip}), or two with a ReLU between ({@code skip1} to k
 * channels, {@code skip2} back to one), added to the decoder's logits.
 */
final class Skip {
  private Skip() {}

  static List<ParamSpec> params(NetSpec s) {
    if (s.skip() == 0) {
      return List.of();
    }
    if (s.skip() == 1) {
      return List.of(ParamSpec.conv("skip", 1, 1, false));
    }
    List<ParamSpec> p =
        new java.util.ArrayList<>(List.of(ParamSpec.conv("skip1", 1, s.skip(), true)));
    p.addAll(List.of(ParamSpec.conv("skip2", s.skip(), 1, false)));
    return p;
  }

  static <T> T apply(Ops<T> o, T logits, T x, NetSpec s) {
    if (s.skip() == 0) {
      return logits;
    }
    T path =
        s.skip() == 1 ? o.conv(x, "skip", 1) : o.conv(o.relu(o.conv(x, "skip1", 1)), "skip2", 1);
    return o.add(logits, path);
  }
}
