package dev.denoiser.model.selfsup;

import dev.denoiser.model.OrtModel;

/** A denoiser as a function: gray pixels in [0,1] of one h x w frame in, denoised pixels out. */
@FunctionalInterface
public interface Denoiser {
  float[] apply(float[] pixels, int height, int width);

  /** An ONNX Runtime session's model, one frame at a time. */
  static Denoiser of(OrtModel m) {
    return (px, h, w) -> m.run(px, 1, h, w).denoised();
  }
}
