package dev.denoiser.sample;

import dev.denoiser.frame.Frame;

/**
 * One frame of the feed sample: its pixels as 8-bit values (round(255 x value), planes as in {@link
 * Frame}), its shape, and the noise sigma the worker estimated for it (0-255 scale). No stream id,
 * frame id or caller information is kept.
 */
public record SampledFrame(byte[] pixels, int height, int width, int channels, double sigma) {
  public SampledFrame {
    if (pixels.length != (long) channels * height * width) {
      throw new IllegalArgumentException(
          "pixels length "
              + pixels.length
              + " does not match "
              + channels
              + "x"
              + height
              + "x"
              + width);
    }
  }

  /** The 8-bit copy of {@code f}'s pixels. */
  public static SampledFrame of(Frame f, double sigma) {
    float[] px = f.pixels();
    byte[] b = new byte[px.length];
    for (int i = 0; i < px.length; i++) {
      float v = px[i];
      int q = v != v ? 0 : Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
      b[i] = (byte) q;
    }
    return new SampledFrame(b, f.height(), f.width(), f.channels(), sigma);
  }

  /** Bytes this frame holds. */
  public long bytes() {
    return pixels.length;
  }

  /** The frame back as floats in [0,1] (no ids). */
  public Frame toFrame() {
    float[] px = new float[pixels.length];
    for (int i = 0; i < px.length; i++) {
      px[i] = (pixels[i] & 0xff) / 255f;
    }
    return new Frame(px, height, width, null, null, channels);
  }
}
