package dev.denoiser.cli;

import dev.denoiser.bench.NaturalBench;
import dev.denoiser.data.NaturalImages;
import dev.denoiser.error.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench natural}: natural-image throughput through every path of the service, in one run.
 */
@Command(
    name = "natural",
    mixinStandardHelpOptions = true,
    description =
        "Frames/s and megapixels/s of the natural models at camera sizes through raw ONNX Runtime, HTTP, "
            + "WebSocket and Kafka against one in-process service, beside OpenCV's non-local means (when OpenCV is on "
            + "the classpath). Prints a Markdown table and writes it to --out.")
public final class NaturalBenchCommand implements Callable<Integer> {
  @Option(
      names = "--models-dir",
      paramLabel = "DIR",
      defaultValue = "models",
      description = "Models directory (default: ${DEFAULT-VALUE}).")
  Path modelsDir;

  @Option(
      names = "--models",
      split = ",",
      defaultValue = "natural-fast,natural-gray",
      description = "Models to measure (default: ${DEFAULT-VALUE}).")
  List<String> models;

  @Option(names = "--colour", description = "Also measure natural-color on RGB frames.")
  boolean colour;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "640x480,1920x1080",
      description = "Frame sizes WIDTHxHEIGHT (default: ${DEFAULT-VALUE}).")
  List<String> sizes;

  @Option(
      names = "--photo",
      description =
          "Photo the frames are cut from, reflected to size (default: skimage/astronaut.png of the natural-image cache).")
  Path photo;

  @Option(
      names = "--seconds",
      defaultValue = "8",
      description = "Measured seconds per path (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      description = "Warm-up seconds per service path (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(
      names = "--window",
      defaultValue = "3",
      description = "Frames in flight per service path (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--intra-op-threads",
      defaultValue = "0",
      description =
          "ONNX Runtime intra-op threads, for raw ORT and the service alike (default: 0, all cores).")
  int threads;

  @Option(
      names = "--bootstrap",
      description = "External Kafka (host:port); default: an embedded broker.")
  String bootstrap;

  @Option(names = "--no-nlm", description = "Skip OpenCV's non-local means.")
  boolean noNlm;

  @Option(
      names = "--out",
      defaultValue = "target/bench-natural.md",
      description = "Markdown output (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    List<String> all = new ArrayList<>(models);
    if (colour && !all.contains("natural-color")) {
      all.add("natural-color");
    }
    for (String m : all) {
      if (!Files.isRegularFile(modelsDir.resolve(m).resolve("model.onnx"))) {
        throw new UserError(
            "no model '"
                + m
                + "' in "
                + modelsDir.toAbsolutePath()
                + "; pass --models-dir and --models");
      }
    }
    if (photo == null) {
      photo = NaturalImages.defaultDir().resolve("skimage/astronaut.png");
    }
    if (!Files.isRegularFile(photo)) {
      throw new UserError(
          "no photo " + photo + " (" + NaturalImages.FETCH_HINT + "); pass --photo");
    }
    if (window < 1 || seconds <= 0 || warmup < 0) {
      throw new UserError(
          "--window must be at least 1, --seconds positive and --warmup not negative");
    }
    List<NaturalBench.Size> parsed = new ArrayList<>();
    for (String s : sizes) {
      try {
        parsed.add(NaturalBench.Size.parse(s));
      } catch (IllegalArgumentException e) {
        throw new UserError("--sizes: " + e.getMessage());
      }
    }
    new NaturalBench(
            new NaturalBench.Options(
                modelsDir, all, parsed, photo, seconds, warmup, window, threads, bootstrap, !noNlm,
                out),
            System.out)
        .run();
    return 0;
  }
}
