package dev.denoiser.frame;

import java.util.Objects;

/**
 * One image on its way through the service: gray (one channel) or colour (three: R, G, B).
 *
 * <p>{@code pixels} are float32 in [0,1], row-major, one plane after another (the R plane, then G,
 * then B, as in an NCHW tensor), {@code channels * height * width} long. The array is shared, never
 * copied, between the source, the batcher and the worker, so nobody mutates it after the frame is
 * built. {@code streamId} is the ordering key (Kafka record key, WebSocket connection); {@code
 * frameId} is the caller's id for this frame, or null.
 */
public record Frame(
    float[] pixels, int height, int width, String streamId, String frameId, int channels) {
  public Frame {
    Objects.requireNonNull(pixels, "pixels");
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("frame size must be positive: " + height + "x" + width);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("a frame has 1 or 3 channels, not " + channels);
    }
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

  /** A gray frame. */
  public Frame(float[] pixels, int height, int width, String streamId, String frameId) {
    this(pixels, height, width, streamId, frameId, 1);
  }

  /** A gray frame without ids. */
  public Frame(float[] pixels, int height, int width) {
    this(pixels, height, width, null, null, 1);
  }

  /** Values in the frame: channels x height x width. */
  public int pixelCount() {
    return pixels.length;
  }

  public boolean sameShape(Frame other) {
    return height == other.height && width == other.width && channels == other.channels;
  }

  /** The same ids on other pixels (of the given channels, same size). */
  public Frame withPixels(float[] px, int c) {
    return new Frame(px, height, width, streamId, frameId, c);
  }

  @Override
  public String toString() {
    return "Frame["
        + (channels == 3 ? "rgb " : "")
        + height
        + "x"
        + width
        + ", stream="
        + streamId
        + ", id="
        + frameId
        + "]";
  }
}
