package dev.denoiser.model.selfsup;

import java.util.Locale;

/**
 * The self-supervised training objectives. {@code R2R} (Recorrupted-to-Recorrupted, Pang et al.
 * 2021): input {@code y + a z}, target {@code y - z / a}, {@code z ~ N(0, sigma^2)}; for Gaussian
 * noise the input's and the target's noise are independent, so the squared error trains towards the
 * clean image. {@code N2N} (Neighbor2Neighbor, Huang et al. 2021): two half-resolution images from
 * random neighbours of every 2x2 cell, one the input and the other the target, plus the regulariser
 * that ties the sub-sampled full-resolution output to the pair. {@code BOOTSTRAP} (a parametric
 * bootstrap of the feed's noise): the serving model's output on each sampled frame is the target,
 * and the input is that output with noise drawn from the feed's estimated noise model (Gaussian of
 * sigma-hat, rounded and clipped to 8 bits as a camera's feed is); the targets are smooth, so the
 * gradient is not drowned in the target's own noise, and the network learns the noise level and
 * clipping of the feed rather than of its training set. {@code TEMPORAL} (Noise2Noise over time,
 * for a still camera; {@link TemporalTargets}): the target of a frame's pixel is its mean over the
 * other frames where the scene stood still, whose noise is independent of the input's and much
 * smaller; frames that are not a still camera's (a moving camera, mixed sizes) fall back to the
 * bootstrap.
 */
public enum Objective {
  R2R,
  N2N,
  BOOTSTRAP,
  TEMPORAL;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Objective parse(String s) {
    for (Objective o : values()) {
      if (o.id().equalsIgnoreCase(s == null ? "" : s.trim())) {
        return o;
      }
    }
    throw new IllegalArgumentException(
        "unknown objective '" + s + "': use r2r, n2n, bootstrap or temporal");
  }
}
