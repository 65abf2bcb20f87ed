package dev.denoiser.cli;

import dev.denoiser.data.DataException;
import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Mnist;
import dev.denoiser.data.Noise;
import dev.denoiser.model.Architectures;
import dev.denoiser.model.Chart;
import dev.denoiser.model.ModelCard;
import dev.denoiser.model.ModelException;
import dev.denoiser.model.Png;
import dev.denoiser.model.Publisher;
import dev.denoiser.model.TrainConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code plot}: draws the pictures of the models directory again without training, and charts from
 * CSV files. {@code plot models} redraws each model's {@code loss.png} from the losses in its card
 * (the epoch means, and the mean of every 50 steps when the card has it) and, for the MNIST models
 * when the data set is there, {@code samples.png}; {@code plot speed-psnr} draws PSNR against
 * frames/s from a CSV ({@code network, frames/s low, frames/s high}, then one PSNR column per
 * series).
 */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    description = "Redraw the models' loss and sample pictures, or chart a CSV.",
    subcommands = {PlotCommand.Models.class, PlotCommand.SpeedPsnr.class})
public final class PlotCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code plot models}: loss.png from the card, samples.png through ONNX Runtime. */
  @Command(
      name = "models",
      mixinStandardHelpOptions = true,
      description =
          "Redraw loss.png (from the losses in the card) and samples.png (MNIST models, when "
              + "the data set is there) of every model, or the named ones.")
  static final class Models implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--models", defaultValue = "models", description = "Models directory.")
    Path models;

    @Option(names = "--data-dir", description = "MNIST directory (default: the usual places).")
    Path dataDir;

    @Option(names = "--no-samples", description = "Leave samples.png alone.")
    boolean noSamples;

    @Parameters(arity = "0..*", description = "Model names (default: all).")
    List<String> names;

    @Override
    public Integer call() {
      PrintWriter w = spec.commandLine().getOut();
      ImageSet test = null;
      for (Path dir : dirs()) {
        ModelCard card;
        try {
          card = ModelCard.read(dir.resolve(ModelCard.FILE));
        } catch (IOException | RuntimeException e) {
          throw new Main.UserError("cannot read the card in " + dir + ": " + e.getMessage(), e);
        }
        JsonObject json = card.json();
        JsonObject training = json.getJsonObject("training");
        String name = dir.getFileName().toString();
        if (training != null && training.getJsonArray("epochLoss") != null) {
          List<Double> epochs = doubles(training.getJsonArray("epochLoss"));
          JsonArray curve = training.getJsonArray(Publisher.CURVE_KEY);
          boolean variational = Architectures.get(card.architecture()).variational();
          Png.loss(
              dir.resolve("loss.png"),
              name,
              TrainConfig.Loss.parse(training.getString("loss")),
              variational,
              curve == null ? List.of() : doubles(curve),
              epochs);
          w.println("wrote " + dir.resolve("loss.png") + " (" + epochs.size() + " epochs)");
        }
        boolean mnist =
            !"natural".equals(json.getString("domain")) && json.getString("noise") != null;
        if (!noSamples && mnist) {
          if (test == null) {
            try {
              test = Mnist.locate(dataDir).test();
            } catch (DataException e) {
              throw new Main.UserError(e.getMessage() + " (or pass --no-samples)", e);
            }
          }
          try {
            Publisher.samples(
                dir.resolve(ModelCard.MODEL_FILE),
                test,
                Noise.parse(json.getString("noise")),
                dir.resolve("samples.png"));
          } catch (IOException | ModelException e) {
            throw new Main.UserError("cannot draw " + dir.resolve("samples.png") + ": " + e, e);
          }
          w.println("wrote " + dir.resolve("samples.png"));
        }
      }
      w.flush();
      return 0;
    }

    private List<Path> dirs() {
      List<Path> out = new ArrayList<>();
      if (names != null && !names.isEmpty()) {
        for (String n : names) {
          Path d = models.resolve(n);
          if (!Files.isRegularFile(d.resolve(ModelCard.FILE))) {
            throw new Main.UserError("no " + ModelCard.FILE + " in " + d);
          }
          out.add(d);
        }
        return out;
      }
      try (Stream<Path> s = Files.list(models)) {
        s.filter(d -> Files.isRegularFile(d.resolve(ModelCard.FILE))).sorted().forEach(out::add);
      } catch (IOException e) {
        throw new Main.UserError("cannot list " + models + ": " + e.getMessage(), e);
      }
      return out;
    }

    private static List<Double> doubles(JsonArray a) {
      List<Double> out = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        out.add(((Number) a.getValue(i)).doubleValue());
      }
      return out;
    }
  }

  /** {@code plot speed-psnr}: PSNR against frames/s, one series per PSNR column of the CSV. */
  @Command(
      name = "speed-psnr",
      mixinStandardHelpOptions = true,
      description =
          "Chart PSNR against frames/s from a CSV: network, frames/s low, frames/s high, then one "
              + "PSNR column per series (its header is the series' name).")
  static final class SpeedPsnr implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--csv", required = true, description = "The CSV file.")
    Path csv;

    @Option(names = "--out", description = "PNG to write (default: the CSV's name, .png).")
    Path out;

    @Option(
        names = "--title",
        defaultValue = "Natural-image networks: speed against quality",
        description = "Chart title.")
    String title;

    @Option(
        names = "--x-label",
        defaultValue = "frames/s at 640x480 (ONNX Runtime, batch 1, 2 threads)",
        description = "x axis label.")
    String xLabel;

    @Option(
        names = "--y-label",
        defaultValue = "mean PSNR on the test photos (dB)",
        description = "y axis label.")
    String yLabel;

    @Option(
        names = "--label-series",
        defaultValue = "0",
        description = "Index of the series whose points carry the network names (-1: none).")
    int labelSeries;

    @Override
    public Integer call() {
      Chart chart;
      try {
        chart = chart(Files.readAllLines(csv, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new Main.UserError("cannot read " + csv + ": " + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new Main.UserError(csv + ": " + e.getMessage(), e);
      }
      Path png =
          out != null
              ? out
              : csv.resolveSibling(
                  csv.getFileName().toString().replaceFirst("\\.csv$", "") + ".png");
      try {
        chart.write(png);
      } catch (UncheckedIOException e) {
        throw new Main.UserError(e.getMessage(), e);
      }
      spec.commandLine().getOut().println("wrote " + png);
      spec.commandLine().getOut().flush();
      return 0;
    }

    Chart chart(List<String> lines) {
      List<String> rows = lines.stream().filter(l -> !l.isBlank()).toList();
      if (rows.size() < 2) {
        throw new IllegalArgumentException("needs a header and at least one row");
      }
      String[] head = rows.get(0).split(",");
      if (head.length < 4) {
        throw new IllegalArgumentException(
            "the header needs network, frames/s low, frames/s high and a PSNR column");
      }
      int n = rows.size() - 1;
      String[] names = new String[n];
      double[] lo = new double[n];
      double[] hi = new double[n];
      double[] mid = new double[n];
      double[][] psnr = new double[head.length - 3][n];
      for (int r = 0; r < n; r++) {
        String[] f = rows.get(r + 1).split(",");
        if (f.length != head.length) {
          throw new IllegalArgumentException(
              "line " + (r + 2) + " has " + f.length + " fields, the header " + head.length);
        }
        names[r] = f[0].strip();
        try {
          lo[r] = Double.parseDouble(f[1].strip());
          hi[r] = Double.parseDouble(f[2].strip());
          for (int c = 3; c < f.length; c++) {
            psnr[c - 3][r] = Double.parseDouble(f[c].strip());
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("line " + (r + 2) + ": " + e.getMessage(), e);
        }
        mid[r] = (lo[r] + hi[r]) / 2;
      }
      Chart chart = new Chart(title, xLabel, yLabel).size(760, 480);
      for (int c = 0; c < psnr.length; c++) {
        Chart.Series s =
            Chart.Series.of(head[c + 3].strip(), mid, psnr[c], Chart.Mark.POINTS)
                .withXRange(lo, hi);
        chart.add(c == labelSeries ? s.withLabels(names) : s);
      }
      return chart;
    }
  }
}
