package dev.denoiser.model;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Noise;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;

/**
 * The evaluation report behind {@code eval}: the PSNR/SSIM table of every published model against
 * the baselines, the collapse check from each card, and the checkerboard measurement of the
 * transposed-convolution and upsampling decoders, untrained and trained. Markdown.
 */
public final class Report {
  private Report() {}

  /** Model directories (with model.onnx and card.json) under {@code models}, zoo order first. */
  public static Map<String, Path> models(Path models) {
    Map<String, Path> out = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(ModelZoo.names());
    if (Files.isDirectory(models)) {
      try (Stream<Path> s = Files.list(models)) {
        s.map(p -> p.getFileName().toString())
            .sorted()
            .filter(n -> !names.contains(n))
            .forEach(names::add);
      } catch (IOException e) {
        throw new ModelException("cannot list " + models + ": " + e.getMessage(), e);
      }
    }
    for (String n : names) {
      Path dir = models.resolve(n);
      if (Files.isRegularFile(dir.resolve(ModelCard.MODEL_FILE))
          && Files.isRegularFile(dir.resolve(ModelCard.FILE))) {
        out.put(n, dir);
      }
    }
    if (out.isEmpty()) {
      throw new ModelException("no models (model.onnx + card.json) under " + models);
    }
    return out;
  }

  public static ModelCard card(Path dir) {
    try {
      ModelCard c = ModelCard.read(dir.resolve(ModelCard.FILE));
      String sha = OnnxExporter.sha256(dir.resolve(ModelCard.MODEL_FILE));
      if (!sha.equals(c.sha256())) {
        throw new ModelException(
            dir.resolve(ModelCard.MODEL_FILE) + " does not match the sha256 in its card");
      }
      return c;
    } catch (IOException | RuntimeException e) {
      if (e instanceof ModelException me) {
        throw me;
      }
      throw new ModelException("cannot read the card in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Computes the report, writes it to {@code file} and returns it. */
  public static String write(Path models, ImageSet test, Path file) {
    Map<String, Path> dirs = models(models);
    Map<String, Path> onnx = new LinkedHashMap<>();
    Map<String, ModelCard> cards = new LinkedHashMap<>();
    dirs.forEach(
        (n, d) -> {
          ModelCard c = card(d);
          // Natural-image models have their own report (eval-natural).
          if (!"natural".equals(c.json().getString("domain"))) {
            cards.put(n, c);
            onnx.put(n, d.resolve(ModelCard.MODEL_FILE));
          }
        });
    List<Noise> noises = Publisher.STANDARD_NOISES.stream().map(Noise::parse).toList();
    Map<String, Map<String, Evaluator.Score>> table;
    try (ProgressBar bar = Progress.images("eval", Evaluator.work(test, noises, onnx))) {
      table = Evaluator.table(test, noises, onnx, bar::stepBy);
    }
    StringBuilder md = new StringBuilder("# Evaluation\n\n");
    md.append(Evaluator.markdown(table, noises, test.count())).append('\n');
    md.append(
        "## Models\n\n| model | architecture | trained on | latent | model.onnx (KB) | "
            + "MSE at gaussian:0.5 (all-zeros MSE) | output std (clean std) |\n|---|---|---|---|---|---|---|\n");
    cards.forEach(
        (n, c) -> {
          JsonObject col =
              c.json()
                  .getJsonObject("metrics", new JsonObject())
                  .getJsonObject("collapse", new JsonObject());
          long bytes = dirs.get(n).resolve(ModelCard.MODEL_FILE).toFile().length();
          md.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %s | %s | %d | %d | %s (%s) | %s (%s) |%n",
                  n,
                  c.architecture(),
                  c.json().getString("noise"),
                  c.latentDim(),
                  bytes / 1024,
                  col.getValue("mse"),
                  col.getValue("mseAllZeros"),
                  col.getValue("outputStd"),
                  col.getValue("cleanStd")));
        });
    md.append('\n').append(checkerboard(dirs, table));
    try {
      Files.writeString(file, md.toString());
    } catch (IOException e) {
      throw new ModelException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return md.toString();
  }

  /** Nyquist amplitude for flat grey, untrained (init seed) and trained, for the conv decoders. */
  static String checkerboard(
      Map<String, Path> dirs, Map<String, Map<String, Evaluator.Score>> table) {
    StringBuilder md = new StringBuilder("## Checkerboard artifacts\n\n");
    md.append(
        "Output for a flat grey (0.5) 64x64 input; RMS amplitude of the Nyquist-frequency "
            + "components (rows, columns, both) over the interior, in grey levels. 0 = no pattern.\n\n"
            + "| model | untrained | trained | PSNR at gaussian:0.5 |\n|---|---|---|---|\n");
    for (String n : List.of("conv-transpose", "conv-upsample")) {
      Path d = dirs.get(n);
      if (d == null) {
        continue;
      }
      OnnxImporter.Imported im = OnnxImporter.read(d.resolve(ModelCard.MODEL_FILE));
      double untrained;
      double trained;
      try (NetModel fresh = NetModel.init(im.spec(), 1);
          NetModel model = NetModel.of(im.spec(), im.weights())) {
        untrained = Checkerboard.nyquist(fresh);
        trained = Checkerboard.nyquist(model);
      }
      Evaluator.Score s = table.getOrDefault(n, Map.of()).get("gaussian:0.5");
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2e | %.2e | %s |%n",
              n,
              untrained,
              trained,
              s == null ? "-" : String.format(Locale.ROOT, "%.2f", s.psnr())));
    }
    return md.toString();
  }
}
