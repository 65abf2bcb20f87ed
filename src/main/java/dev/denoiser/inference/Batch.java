package dev.denoiser.inference;

import dev.denoiser.frame.Frame;
import java.util.List;

/**
 * Frames of one shape for one model, sent by the batcher to an inference worker, which runs them in
 * ONE ONNX Runtime call. {@code frames} is not copied; nobody mutates it after sending.
 */
public record Batch(String model, List<Frame> frames, long dispatchedNanos) {
  public int size() {
    return frames.size();
  }
}
