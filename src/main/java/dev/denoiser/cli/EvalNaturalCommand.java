package dev.denoiser.cli;

import dev.denoiser.model.Progress;
import dev.denoiser.model.eval.Baselines;
import dev.denoiser.model.eval.CropGrid;
import dev.denoiser.model.eval.Denoiser;
import dev.denoiser.model.eval.EvalReport;
import dev.denoiser.model.eval.Image;
import dev.denoiser.model.eval.ModelInfo;
import dev.denoiser.model.eval.NaturalEval;
import dev.denoiser.model.eval.NaturalTestSet;
import dev.denoiser.model.eval.NonLocalMeans;
import dev.denoiser.model.eval.OnnxDenoiser;
import dev.denoiser.model.eval.OpenCvSupport;
import dev.denoiser.model.eval.Score;
import dev.denoiser.model.eval.SpeedChart;
import dev.denoiser.model.eval.Throughput;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eval-natural}: scores the natural-image models against the noisy input and the classical
 * baselines (Gaussian blur, median, total variation, and OpenCV's non-local means when OpenCV is on
 * the classpath) on issue 15's ten test photos, gray at sigma 15/25/50 and colour at 25, times them
 * at 640x480 and 1920x1080, and writes {@code models/EVAL-natural.md} with a picture grid of crops
 * beside it, and (when it timed) the chart of gray PSNR against frames/s ({@code
 * EVAL-natural-speed.png}).
 *
 * <p>OpenCV (provided scope, never in the shaded jar) is only on Maven's compile classpath; the
 * non-local-means rows need a run through it: {@code mvn -q compile exec:java
 * -Dexec.classpathScope=compile -Dexec.mainClass=dev.denoiser.cli.Main -Dexec.args="eval-natural"}.
 * Without it the command says so in one line and writes the rest.
 */
@Command(
    name = "eval-natural",
    mixinStandardHelpOptions = true,
    description =
        "Evaluate natural-image models and classical baselines on the scikit-image "
            + "test photos (run sh src/scripts/fetch-natural.sh first).")
public final class EvalNaturalCommand implements Callable<Integer> {
  private static final String REFERENCE_MODEL = "conv-upsample";
  private static final int CROP_X = 190;
  private static final int CROP_Y = 60;
  private static final int CROP = 128;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--models",
      split = ",",
      description =
          "Model names under --models-dir "
              + "(default: every model whose card says \"domain\": \"natural\", plus conv-upsample).")
  List<String> names;

  @Option(names = "--models-dir", defaultValue = "models", description = "Models directory.")
  Path modelsDir;

  @Option(
      names = "--data-dir",
      defaultValue = ".cache/natural/skimage",
      description = "The scikit-image data folder with the test photos.")
  Path dataDir;

  @Option(
      names = "--out",
      defaultValue = "models/EVAL-natural.md",
      description = "Markdown report.")
  Path out;

  @Option(names = "--grid", description = "Picture grid PNG (default: the report's name, .png).")
  Path grid;

  @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime intra-op threads.")
  int threads;

  @Option(names = "--seconds", defaultValue = "3", description = "Timing per method and size.")
  double seconds;

  @Option(names = "--no-speed", description = "Skip the frames/s measurements.")
  boolean noSpeed;

  @Override
  public Integer call() {
    PrintWriter w = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<NaturalTestSet.Photo> photos;
    try {
      photos = NaturalTestSet.load(dataDir);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new Main.UserError(e.getMessage(), e);
    }
    String nlmNote = null;
    if (!OpenCvSupport.available()) {
      nlmNote =
          OpenCvSupport.problem() + "; for the non-local-means rows run: " + OpenCvSupport.HOW;
      err.println("eval-natural: no non-local means: " + nlmNote);
      err.flush();
    }
    List<ModelInfo> infos = models();
    List<OnnxDenoiser> nets = new ArrayList<>();
    try {
      for (ModelInfo i : infos) {
        nets.add(new OnnxDenoiser(i, threads));
      }
      return run(photos, nets, nlmNote, w);
    } finally {
      nets.forEach(OnnxDenoiser::close);
    }
  }

  private int run(
      List<NaturalTestSet.Photo> photos, List<OnnxDenoiser> nets, String nlmNote, PrintWriter w) {
    boolean nlm = nlmNote == null;
    List<Baselines.Family> grayFamilies = Baselines.gray(nlm);
    List<Baselines.Family> colorFamilies = Baselines.color(nlm);
    Map<String, Score[]> gray = new LinkedHashMap<>();
    Map<String, Score> color = new LinkedHashMap<>();
    Set<String> modelNames = new LinkedHashSet<>();
    NaturalEval eval;
    long work = NaturalEval.work(photos, grayFamilies, colorFamilies, nets.size());
    try (ProgressBar bar = Progress.images("eval-natural", work)) {
      eval = new NaturalEval(photos, bar::step);
      for (Baselines.Family f : grayFamilies) {
        Progress.say(bar, "gray " + f.label());
        gray.put(f.label(), eval.gray(f));
      }
      for (OnnxDenoiser n : nets) {
        Progress.say(bar, "gray " + n.name());
        gray.put(n.name(), eval.gray(n));
        modelNames.add(n.name());
      }
      color.put(NaturalEval.NOISY, eval.noisyColor());
      for (Baselines.Family f : colorFamilies) {
        Progress.say(bar, "colour " + f.label());
        color.put(f.label(), eval.color(f));
      }
      for (OnnxDenoiser n : nets) {
        Progress.say(bar, "colour " + n.name());
        color.put(n.name(), eval.color(n));
      }
    }
    Map<String, Score[]> grayOrdered = new LinkedHashMap<>();
    grayOrdered.put(NaturalEval.NOISY, eval.noisy());
    grayOrdered.putAll(gray);
    Map<String, Double> fps = new LinkedHashMap<>();
    List<EvalReport.Speed> speed = noSpeed ? List.of() : speed(photos, nets, grayOrdered, fps, w);
    Path png = grid != null ? grid : sibling(out, ".png");
    String caption = grid(eval, grayOrdered, modelNames, nets, png);
    EvalReport report =
        new EvalReport(
            grayOrdered,
            modelNames,
            color,
            photos.stream().map(NaturalTestSet.Photo::name).toList(),
            eval.colorPhotos().stream().map(NaturalTestSet.Photo::name).toList(),
            speed,
            nlmNote,
            relative(out, png),
            caption);
    String md = report.markdown();
    try {
      if (out.toAbsolutePath().getParent() != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
      }
      Files.writeString(out, md, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Main.UserError("cannot write " + out + ": " + e.getMessage(), e);
    }
    w.print(md);
    w.println("wrote " + out + " and " + png);
    if (!fps.isEmpty()) {
      Path chart = sibling(out, "-speed.png");
      SpeedChart.of(fps, grayOrdered, "networks on " + threads + " ONNX Runtime threads")
          .write(chart);
      w.println("wrote " + chart);
    }
    w.flush();
    return 0;
  }

  /** The models to score: the named ones, or the natural ones plus the MNIST reference. */
  private List<ModelInfo> models() {
    List<ModelInfo> out = new ArrayList<>();
    try {
      if (names != null && !names.isEmpty()) {
        for (String n : names) {
          out.add(ModelInfo.read(modelsDir.resolve(n.strip())));
        }
        return out;
      }
      if (Files.isDirectory(modelsDir)) {
        try (Stream<Path> dirs = Files.list(modelsDir)) {
          for (Path d : dirs.sorted().toList()) {
            if (Files.isRegularFile(d.resolve(ModelInfo.MODEL_FILE))) {
              ModelInfo i = ModelInfo.read(d);
              if (i.natural()) {
                out.add(i);
              }
            }
          }
        }
      }
      Path ref = modelsDir.resolve(REFERENCE_MODEL);
      if (Files.isRegularFile(ref.resolve(ModelInfo.MODEL_FILE))) {
        out.add(ModelInfo.read(ref));
      }
    } catch (IOException e) {
      throw new Main.UserError("cannot list " + modelsDir + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage(), e);
    }
    return out;
  }

  private List<EvalReport.Speed> speed(
      List<NaturalTestSet.Photo> photos,
      List<OnnxDenoiser> nets,
      Map<String, Score[]> gray,
      Map<String, Double> fps,
      PrintWriter w) {
    List<EvalReport.Speed> out = new ArrayList<>();
    NaturalTestSet.Photo cam = photos.get(0);
    Image colorSource =
        photos.stream()
            .filter(p -> p.rgb() != null)
            .findFirst()
            .map(NaturalTestSet.Photo::rgb)
            .orElse(cam.gray());
    for (OnnxDenoiser n : nets) {
      int c = n.info().channels();
      Image src = c == 3 ? colorSource : cam.gray();
      double a = Throughput.fps(n, Throughput.frame(src, 640, 480, c), seconds);
      double b = Throughput.fps(n, Throughput.frame(src, 1920, 1080, c), seconds);
      out.add(
          new EvalReport.Speed(
              "model `" + n.name() + "`",
              "ONNX Runtime, "
                  + (c == 3 ? "RGB" : "gray")
                  + ", "
                  + n.threads()
                  + " intra-op threads",
              a,
              b));
      progress(w, n.name(), a, b);
      if (c == 1) {
        fps.put(n.name(), a);
      }
    }
    for (Map.Entry<String, Score[]> e : gray.entrySet()) {
      if (e.getKey().startsWith("non-local means")) {
        Denoiser d = e.getValue()[1].denoiser();
        double a = Throughput.fps(d, Throughput.frame(cam.gray(), 640, 480, 1), seconds);
        double b = Throughput.fps(d, Throughput.frame(cam.gray(), 1920, 1080, 1), seconds);
        out.add(
            new EvalReport.Speed(
                d.name(),
                "OpenCV "
                    + "fastNlMeansDenoising 7/21, gray, "
                    + NonLocalMeans.threads()
                    + " threads",
                a,
                b));
        progress(w, "non-local means", a, b);
        fps.put(e.getKey(), a);
      }
    }
    return out;
  }

  private static void progress(PrintWriter w, String name, double a, double b) {
    w.printf(
        java.util.Locale.ROOT,
        "speed %s: %.2f frames/s at 640x480, %.2f at 1920x1080%n",
        name,
        a,
        b);
    w.flush();
  }

  /** Draws the crop grid from camera.png; returns the report's caption for it. */
  private static String grid(
      NaturalEval eval,
      Map<String, Score[]> gray,
      Set<String> models,
      List<OnnxDenoiser> nets,
      Path png) {
    NaturalTestSet.Photo cam = eval.photos().get(0);
    int[] at = cropAt(cam.gray());
    Image clean = cam.gray().crop(at[0], at[1], at[2], at[2]);
    Set<String> natural = new LinkedHashSet<>();
    for (OnnxDenoiser n : nets) {
      if (n.info().natural()) {
        natural.add(n.name());
      }
    }
    Set<String> ours = natural.isEmpty() ? models : natural;
    List<CropGrid.Row> rows = new ArrayList<>();
    for (int s = 0; s < NaturalEval.SIGMAS.length; s++) {
      Image noisy = eval.noisyGray(0, s);
      List<CropGrid.Tile> tiles = new ArrayList<>();
      tiles.add(tile(cam.gray(), noisy, NaturalEval.NOISY, at));
      Score classical = best(gray, s, k -> !models.contains(k) && !k.equals(NaturalEval.NOISY));
      tiles.add(
          tile(cam.gray(), classical.denoiser().denoise(noisy), classical.denoiser().name(), at));
      Score model = best(gray, s, ours::contains);
      if (model != null) {
        tiles.add(tile(cam.gray(), model.denoiser().denoise(noisy), model.denoiser().name(), at));
      } else {
        tiles.add(new CropGrid.Tile(Image.blank(at[2], at[2], 1), "no model"));
      }
      tiles.add(new CropGrid.Tile(clean, "camera.png"));
      rows.add(new CropGrid.Row("sigma " + (int) NaturalEval.SIGMAS[s], tiles));
    }
    CropGrid.write(rows, png);
    return "A "
        + at[2]
        + "x"
        + at[2]
        + " crop of camera.png at ("
        + at[0]
        + ", "
        + at[1]
        + "), enlarged "
        + CropGrid.ZOOM
        + "x; rows sigma 15, 25, 50; columns noisy | best "
        + "classical method at that sigma | "
        + (natural.isEmpty()
            ? "best model scored (no natural model yet)"
            : "best natural model at that sigma")
        + " | clean. Captions give the method and its PSNR on the whole of camera.png.";
  }

  /** x, y and side of the crop: the face in camera.png, moved or shrunk to fit smaller photos. */
  private static int[] cropAt(Image img) {
    int side = Math.min(CROP, Math.min(img.width(), img.height()));
    return new int[] {
      Math.min(CROP_X, img.width() - side), Math.min(CROP_Y, img.height() - side), side
    };
  }

  private static CropGrid.Tile tile(Image clean, Image out, String name, int[] at) {
    return new CropGrid.Tile(
        out.crop(at[0], at[1], at[2], at[2]),
        name
            + ", "
            + String.format(java.util.Locale.ROOT, "%.2f dB", NaturalTestSet.psnr(clean, out)));
  }

  private static Score best(
      Map<String, Score[]> gray, int s, java.util.function.Predicate<String> which) {
    Score best = null;
    for (Map.Entry<String, Score[]> e : gray.entrySet()) {
      if (which.test(e.getKey()) && (best == null || e.getValue()[s].mean() > best.mean())) {
        best = e.getValue()[s];
      }
    }
    return best;
  }

  private static Path sibling(Path md, String ext) {
    String n = md.getFileName().toString().replaceFirst("\\.md$", "");
    return md.resolveSibling(n + ext);
  }

  private static String relative(Path md, Path png) {
    Path base = md.toAbsolutePath().getParent();
    return base == null ? png.toString() : base.relativize(png.toAbsolutePath()).toString();
  }
}
