package dev.denoiser.cli;

import dev.denoiser.bench.RefreshBench;
import dev.denoiser.error.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench refresh}: one self-supervised refresh of a serving model from its own noisy feed.
 */
@Command(
    name = "refresh",
    mixinStandardHelpOptions = true,
    description =
        "Serves noisy frames (natural-gray: vtest.avi with sigma 75; a 28x28 model: MNIST digits with "
            + "sigma 0.7) through the running service with the feed sample on, runs one self-supervised refresh while "
            + "requests keep flowing, and prints PSNR before/after on held-out frames, the gate's estimates and the "
            + "failed requests. Prints a Markdown table.")
public final class RefreshBenchCommand implements Callable<Integer> {
  @Option(
      names = "--models-dir",
      paramLabel = "DIR",
      defaultValue = "models",
      description = "Models directory (default: ${DEFAULT-VALUE}).")
  Path modelsDir;

  @Option(
      names = "--model",
      defaultValue = "natural-gray",
      description = "Model to refresh (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--video",
      defaultValue = ".cache/natural/opencv/vtest.avi",
      description = "Video of the natural scenario (default: ${DEFAULT-VALUE}).")
  Path video;

  @Option(
      names = "--size",
      defaultValue = "384x288",
      description = "Width x height of the video frames (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(
      names = "--sigma",
      description =
          "Noise sigma on 0-255 (default: 75 for natural frames, 178.5 = 0.7 for digits).")
  Double sigma;

  @Option(
      names = "--frames",
      defaultValue = "300",
      description = "Frames streamed and sampled, at most 300 (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(
      names = "--held-out",
      defaultValue = "10",
      description = "Frames held out of the stream to measure PSNR (default: ${DEFAULT-VALUE}).")
  int heldOut;

  @Option(
      names = "--steps",
      defaultValue = "500",
      description = "Steps of the refresh (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--batch",
      defaultValue = "16",
      description = "Patches per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--learning-rate",
      defaultValue = "3e-4",
      description = "Learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Noise seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(modelsDir.resolve(model).resolve("model.onnx"))) {
      throw new UserError(
          "no model '"
              + model
              + "' in "
              + modelsDir.toAbsolutePath()
              + "; pass --models-dir and --model");
    }
    if (frames < 2 || frames > 300) {
      throw new UserError("--frames must be 2 to 300, got " + frames);
    }
    String[] wh = size.toLowerCase(java.util.Locale.ROOT).split("x");
    if (wh.length != 2) {
      throw new UserError("--size must be WIDTHxHEIGHT, got " + size);
    }
    boolean digits =
        model.startsWith("conv-") || model.startsWith("linear") || model.startsWith("vae");
    double s = sigma != null ? sigma : digits ? 0.7 * 255 : 75;
    new RefreshBench(
            new RefreshBench.Options(
                modelsDir,
                model,
                video,
                Integer.parseInt(wh[0].trim()),
                Integer.parseInt(wh[1].trim()),
                s,
                frames,
                heldOut,
                steps,
                batch,
                learningRate,
                seed),
            System.out)
        .runAndPrint();
    return 0;
  }
}
