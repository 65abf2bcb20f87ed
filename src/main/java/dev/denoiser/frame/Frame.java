package dev.denoiser.frame;

import java.util.Objects;

/**
 * One grayscale image on its way through the service.
 *
 * <p>{@code pixels} are float32 in [0,1], row-major, {@code height * width} long. The array is
 * shared, never copied, between the source, the batcher and the worker, so nobody mutates it after
 * the frame is built. {@code streamId} is the ordering key (Kafka record key, WebSocket
 * connection); {@code frameId} is the caller's id for this frame, or null.
 */
public record Frame(float[] pixels, int height, int width, String streamId, String frameId) {
  public Frame {
    Objects.requireNonNull(pixels, "pixels");
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("frame size must be positive: " + height + "x" + width);
    }
    if (pixels.length != height * width) {
      throw new IllegalArgumentException(
          "pixels length " + pixels.length + " does not match " + height + "x" + width);
    }
  }

  public Frame(float[] pixels, int height, int width) {
    this(pixels, height, width, null, null);
  }

  public int pixelCount() {
    return pixels.length;
  }

  public boolean sameShape(Frame other) {
    return height == other.height && width == other.width;
  }

  @Override
  public String toString() {
    return "Frame[" + height + "x" + width + ", stream=" + streamId + ", id=" + frameId + "]";
  }
}
