package dev.denoiser.cli;

import dev.denoiser.bench.KafkaBench;
import dev.denoiser.error.UserError;
import dev.denoiser.kafka.client.KafkaOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench kafka}: end-to-end Kafka throughput and latency against raw ONNX Runtime and Kafka
 * alone.
 */
@Command(
    name = "kafka",
    mixinStandardHelpOptions = true,
    description =
        "Sustained frames/s from frames.noisy to frames.denoised on an embedded broker, against raw "
            + "ONNX Runtime batches and Kafka alone; p50/p99 latency at half load. Prints a Markdown table.")
public final class KafkaBenchCommand implements Callable<Integer> {
  @Option(
      names = "--models-dir",
      paramLabel = "DIR",
      defaultValue = "models",
      description = "Models directory (default: ${DEFAULT-VALUE}).")
  Path modelsDir;

  @Option(
      names = "--model",
      defaultValue = "conv-upsample",
      description = "Model to run (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "28,64",
      description = "Square frame sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes;

  @Option(
      names = "--frames",
      defaultValue = "5000",
      description = "Frames per end-to-end and Kafka-only run (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(
      names = "--batch",
      defaultValue = "64",
      description =
          "Frames per raw ONNX Runtime run (default: ${DEFAULT-VALUE}, batching.maxBatchSize).")
  int batch;

  @Option(
      names = "--seconds",
      defaultValue = "5",
      description = "Seconds of the raw ORT and the latency phases (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--intra-op-threads",
      defaultValue = "0",
      description =
          "ONNX Runtime intra-op threads, for raw ORT and the service alike (default: 0, the service's default: all cores).")
  int threads;

  @Option(
      names = "--load",
      defaultValue = "0.5",
      description =
          "Offered rate of the latency phase, as a fraction of the measured throughput (default: ${DEFAULT-VALUE}).")
  double load;

  @Option(
      names = "--guarantees",
      split = ",",
      defaultValue = "at_least_once,exactly_once",
      description = "Processing guarantees to run (default: ${DEFAULT-VALUE}).")
  List<String> guarantees;

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
    List<KafkaOptions.Guarantee> gs =
        guarantees.stream().map(KafkaOptions.Guarantee::parse).toList();
    new KafkaBench(
            new KafkaBench.Options(
                modelsDir, model, sizes, frames, batch, seconds, load, threads, gs),
            System.out)
        .run();
    return 0;
  }
}
