package dev.denoiser.cli;

import dev.denoiser.data.DataException;
import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Mnist;
import dev.denoiser.model.ModelException;
import dev.denoiser.model.Report;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eval}: scores every model under the models directory (through ONNX Runtime) against the
 * noisy input, a 3x3 median and the best Gaussian blur on the MNIST test set, at Gaussian sigma
 * 0.1, 0.3, 0.5 and salt-and-pepper 0.1, measures checkerboard artifacts, and writes the Markdown
 * report (default {@code models/EVAL.md}).
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate the exported models and baselines on the MNIST test set.")
public final class EvalCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--models", description = "Models directory.", defaultValue = "models")
  Path models;

  @Option(names = "--images", description = "Test images to use.", defaultValue = "10000")
  int images;

  @Option(names = "--data-dir", description = "MNIST directory.")
  Path dataDir;

  @Option(names = "--report", description = "Markdown output (default: MODELS/EVAL.md).")
  Path report;

  @Override
  public Integer call() {
    PrintWriter w = spec.commandLine().getOut();
    try {
      ImageSet test = Mnist.locate(dataDir).test().head(images);
      String md = Report.write(models, test, report != null ? report : models.resolve("EVAL.md"));
      w.print(md);
      w.flush();
      return 0;
    } catch (DataException | ModelException e) {
      throw new Main.UserError(e.getMessage(), e);
    }
  }
}
