package dev.denoiser.bench;

import dev.denoiser.frame.Frame;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.frame.MediaType;
import dev.denoiser.model.eval.Image;
import dev.denoiser.model.eval.NaturalTestSet;
import dev.denoiser.model.eval.Throughput;
import java.nio.file.Path;

/**
 * The one frame a natural-image benchmark cell sends again and again: a photo reflected and cropped
 * to {@code width x height}, Gaussian noise of sigma 25 (on 0-255) added once, and encoded once in
 * each form a path needs: raw {@code gray8} or {@code rgb8} bytes (HTTP, WebSocket, Kafka), planar
 * floats in [0,1] (raw ONNX Runtime) and the 0-255 image (OpenCV).
 */
public record NaturalFrame(
    int width, int height, int channels, Image image, float[] planar, byte[] wire) {
  /** Noise sigma on 0-255. */
  public static final double SIGMA = 25;

  /** The noisy frame of {@code photo} at this size, 1 (gray) or 3 (RGB) channels. */
  public static NaturalFrame of(Path photo, int width, int height, int channels) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("a frame has 1 or 3 channels, got " + channels);
    }
    Image img = Throughput.frame(NaturalTestSet.read(photo), width, height, channels);
    float[] d = img.data();
    float[] planar = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      planar[i] = d[i] / 255f;
    }
    byte[] wire =
        channels == 1
            ? FrameCodec.toGray8(planar)
            : FrameCodec.toRgb8(new Frame(planar, height, width, null, null, 3));
    return new NaturalFrame(width, height, channels, img, planar, wire);
  }

  /** The raw wire format: {@code gray8} or {@code rgb8}. */
  public MediaType mediaType() {
    return channels == 1 ? MediaType.GRAY8 : MediaType.RGB8;
  }

  public double megapixels() {
    return width * (double) height / 1e6;
  }
}
