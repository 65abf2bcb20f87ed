package dev.denoiser.cli;

import dev.denoiser.data.DataException;
import dev.denoiser.data.Mnist;
import dev.denoiser.error.UserError;
import dev.denoiser.model.Averaging;
import dev.denoiser.model.Checkpoint;
import dev.denoiser.model.ModelCard;
import dev.denoiser.model.ModelException;
import dev.denoiser.model.ModelZoo;
import dev.denoiser.model.NetModel;
import dev.denoiser.model.OnnxExporter;
import dev.denoiser.model.OpponentColour;
import dev.denoiser.model.Publisher;
import dev.denoiser.model.Trainer;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code export}: turns a training checkpoint (for example one left by an interrupted {@code
 * train}) into a published model directory: model.onnx, card.json with metrics, PNGs. With {@code
 * --colour-from}, writes instead the RGB model that runs an exported gray natural-image model on
 * three decorrelated colour channels ({@link OpponentColour}): that is how {@code natural-color} is
 * made from {@code natural-gray}.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Export a training checkpoint to ONNX with its card.")
public final class ExportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--checkpoint", description = "A checkpoint.bin written by train.")
  Path checkpoint;

  @Option(
      names = "--colour-from",
      description =
          "An exported gray natural-image model.onnx: "
              + "write the RGB model that runs it on three decorrelated colour channels.")
  Path colourFrom;

  @Option(
      names = "--average",
      split = ",",
      description =
          "Exported model.onnx files of one network "
              + "(fine-tunes of one model): write their weighted average (see --weights).")
  List<Path> average;

  @Option(
      names = "--weights",
      split = ",",
      description = "Weights of --average, summing to 1 " + "(default: equal).")
  List<Double> mixWeights;

  @Option(
      names = "--from",
      description =
          "An exported model.onnx (with its card.json beside it) to write again, with --views.")
  Path from;

  @Option(
      names = "--views",
      description =
          "With --from: export the mean of the network over 1, 2, 4 or 8 flips and transposes "
              + "of the input (a geometric self-ensemble; that many times the work).")
  Integer views;

  @Option(names = "--name", required = true, description = "Model name (directory under --out).")
  String name;

  @Option(names = "--out", defaultValue = "models", description = "Models directory.")
  Path out;

  @Option(
      names = "--model-version",
      defaultValue = "1",
      description = "Model version for the card.")
  long version;

  @Option(names = "--data-dir", description = "MNIST directory (for the card's metrics).")
  Path dataDir;

  @Option(
      names = "--eval-images",
      defaultValue = "10000",
      description = "Test images for the metrics.")
  int evalImages;

  @Override
  public Integer call() {
    PrintWriter w = spec.commandLine().getOut();
    try {
      Path dir = out.resolve(name);
      OnnxExporter.checkWritable(dir);
      if ((checkpoint == null ? 0 : 1)
              + (colourFrom == null ? 0 : 1)
              + (average == null ? 0 : 1)
              + (from == null ? 0 : 1)
          != 1) {
        throw new Main.UserError(
            "give exactly one of --checkpoint, --colour-from, --average and --from");
      }
      if ((from == null) != (views == null)) {
        throw new Main.UserError("--from and --views go together");
      }
      if (from != null) {
        ModelCard card = OnnxExporter.withViews(from, views, dir);
        w.println("wrote " + dir.resolve(ModelCard.MODEL_FILE) + " (sha256 " + card.sha256() + ")");
        return 0;
      }
      if (average != null) {
        ModelCard card = Averaging.export(average, mixWeights, dir);
        w.println("wrote " + dir.resolve(ModelCard.MODEL_FILE) + " (sha256 " + card.sha256() + ")");
        return 0;
      }
      if (colourFrom != null) {
        ModelCard card =
            OpponentColour.export(
                name,
                colourFrom,
                dir,
                version,
                new JsonObject().put("domain", "natural").put("notes", OpponentColour.NOTES));
        w.println("wrote " + dir.resolve(ModelCard.MODEL_FILE) + " (sha256 " + card.sha256() + ")");
        return 0;
      }
      Checkpoint ck = Checkpoint.read(checkpoint);
      if (ck.spec().arch().residual()) {
        try (NetModel model = NetModel.of(ck.spec(), ck.params())) {
          Trainer.Result r =
              new Trainer.Result(
                  model,
                  ck.config(),
                  ck.epochLoss(),
                  ck.curve(),
                  ck.seconds() > 0 ? ck.images() / ck.seconds() : 0,
                  ck.images(),
                  ck.seconds());
          ModelCard card =
              Publisher.publishNatural(
                  name,
                  r,
                  dir,
                  version,
                  "Exported after " + ck.epochsDone() + " of " + ck.config().epochs() + " epochs.",
                  new JsonObject());
          w.println(
              "wrote " + dir.resolve(ModelCard.MODEL_FILE) + " (sha256 " + card.sha256() + ")");
        }
        return 0;
      }
      var test = Mnist.locate(dataDir).test().head(evalImages);
      try (NetModel model = NetModel.of(ck.spec(), ck.params())) {
        Trainer.Result r =
            new Trainer.Result(
                model,
                ck.config(),
                ck.epochLoss(),
                ck.curve(),
                ck.seconds() > 0 ? ck.images() / ck.seconds() : 0,
                ck.images(),
                ck.seconds());
        ModelZoo.Recipe recipe = ModelZoo.recipe(name);
        String note = recipe != null && recipe.net().equals(ck.spec()) ? recipe.notes() : "";
        if (ck.epochsDone() < ck.config().epochs()) {
          note =
              (note
                      + " Exported after "
                      + ck.epochsDone()
                      + " of "
                      + ck.config().epochs()
                      + " epochs.")
                  .strip();
        }
        ModelCard card = Publisher.publish(name, r, test, dir, version, note);
        w.println("wrote " + dir.resolve(ModelCard.MODEL_FILE) + " (sha256 " + card.sha256() + ")");
      }
      return 0;
    } catch (DataException | ModelException e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}
