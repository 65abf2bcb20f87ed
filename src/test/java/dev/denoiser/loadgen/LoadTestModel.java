package dev.denoiser.loadgen;

import dev.denoiser.testing.TestModels;
import java.nio.file.Path;

/**
 * Writes the synthetic stand-in model the load test serves while no trained model is in {@code
 * models/}: {@code <dir>/conv-upsample}, a real ONNX conv net (3x3 conv to C maps, ReLU, 3x3 conv
 * back, sigmoid; latent = the C channel means) from {@link TestModels}. Usage: {@code LoadTestModel
 * <dir> [channels]}.
 */
public final class LoadTestModel {
  private LoadTestModel() {}

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: LoadTestModel <models-dir> [channels]");
      System.exit(2);
    }
    int channels = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    Path dir = TestModels.write(Path.of(args[0]), "conv-upsample", 1, 1234, 0, 0, channels);
    System.out.println("wrote a synthetic " + channels + "-channel conv model to " + dir);
  }
}
