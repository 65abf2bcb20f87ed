package dev.denoiser.cli;

import dev.denoiser.bench.CoreBench;
import dev.denoiser.error.UserError;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench core}: the serving core's overhead over raw ONNX Runtime. */
@Command(
    name = "core",
    mixinStandardHelpOptions = true,
    description =
        "Raw ONNX Runtime vs the event bus + batcher vs HTTP, on one model, in one process.")
public final class CoreBenchCommand implements Callable<Integer> {
  @Option(
      names = "--models-dir",
      defaultValue = "models",
      description = "Models directory (default: ${DEFAULT-VALUE}).")
  Path modelsDir;

  @Option(
      names = "--model",
      defaultValue = "conv-upsample",
      description = "Model to measure (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--size",
      defaultValue = "28",
      description = "Frame height and width for size-agnostic models (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--concurrency",
      split = ",",
      defaultValue = "1,16,64,256",
      description = "Concurrent callers (default: ${DEFAULT-VALUE}).")
  int[] concurrency;

  @Option(
      names = "--seconds",
      defaultValue = "4",
      description = "Measured seconds per cell (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "ONNX Runtime intra-op threads (0: all cores).")
  int threads;

  @Override
  public Integer call() throws Exception {
    if (!modelsDir.resolve(model).resolve("card.json").toFile().isFile()) {
      throw new UserError("no model '" + model + "' in " + modelsDir);
    }
    int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    new CoreBench(
            new CoreBench.Options(modelsDir, model, size, concurrency, seconds, t), System.out)
        .run();
    return 0;
  }
}
