package dev.denoiser.model;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Noise;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a trained network into a published model directory: {@code model.onnx}, {@code card.json}
 * (typed fields, net, training config and speed, noise, metrics measured through ONNX Runtime on
 * the test set, collapse check, notes), {@code samples.png} (noisy | denoised | clean) and {@code
 * loss.png}.
 */
public final class Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

  /** Noises every card reports, besides the model's own. */
  public static final List<String> STANDARD_NOISES =
      List.of("gaussian:0.1", "gaussian:0.3", "gaussian:0.5", "sp:0.1");

  /**
   * The card's training section keeps the loss curve (the mean of every {@code curveEvery} steps)
   * beside the epoch means, so loss.png can be drawn again from the card alone.
   */
  public static final String CURVE_KEY = "curveLoss";

  public static final String CURVE_EVERY_KEY = "curveEvery";

  /** The slice of the test set whose score the card records for re-checking. */
  public static final int CHECK_IMAGES = 500;

  private Publisher() {}

  /** Exports, evaluates on {@code test} and writes everything to {@code dir}. Returns the card. */
  public static ModelCard publish(
      String name, Trainer.Result r, ImageSet test, Path dir, long version, String notes) {
    return publish(name, r, test, dir, version, notes, null);
  }

  /** The same, with {@code trainingExtra} added to the card's training section. */
  public static ModelCard publish(
      String name,
      Trainer.Result r,
      ImageSet test,
      Path dir,
      long version,
      String notes,
      JsonObject trainingExtra) {
    NetModel model = r.model();
    NetSpec spec = model.spec();
    Noise noise = r.config().noise();
    JsonObject training =
        r.config()
            .toJson()
            .put("trainImages", r.config().limit() > 0 ? r.config().limit() : 60000)
            .put("trainSet", "MNIST training set")
            .put("imagesPerSecond", Math.round(r.imagesPerSecond()))
            .put(
                "epochLoss",
                new io.vertx.core.json.JsonArray(
                    r.epochLoss().stream().map(v -> Evaluator.round(v, 5)).toList()))
            .put(CURVE_EVERY_KEY, Trainer.CURVE_EVERY)
            .put(
                CURVE_KEY,
                new io.vertx.core.json.JsonArray(
                    r.curve().stream().map(v -> Evaluator.round(v, 5)).toList()));
    if (trainingExtra != null) {
      training.mergeIn(trainingExtra);
    }
    JsonObject extra =
        new JsonObject()
            .put("noise", noise.spec())
            .put("training", training)
            .put("notes", notes == null ? "" : notes);
    ModelCard card = OnnxExporter.card(name, spec, version, extra);
    Path onnx = dir.resolve(ModelCard.MODEL_FILE);
    OnnxExporter.export(spec, model.weights(), card, dir);
    JsonObject metrics = measure(onnx, test, noise);
    card = card.with("metrics", metrics);
    card = OnnxExporter.export(spec, model.weights(), card, dir);
    try {
      samples(onnx, test, noise, dir.resolve("samples.png"));
      lossPng(name, r, dir);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ModelException("cannot write the PNGs to " + dir + ": " + e.getMessage(), e);
    }
    LOG.info("published {} to {} ({} bytes of weights)", name, dir, model.weights().count() * 4);
    return card;
  }

  /**
   * Publishes a natural-image model: {@code model.onnx}, a card with {@code domain: natural}, its
   * channels, noise range and training speed in patches/s, and {@code loss.png}. Its quality is
   * measured on the held-out photos by {@code eval-natural}, not here.
   */
  public static ModelCard publishNatural(
      String name,
      Trainer.Result r,
      Path dir,
      long version,
      String notes,
      JsonObject trainingExtra) {
    NetModel model = r.model();
    JsonObject training =
        r.config()
            .toJson()
            .put("patchesPerSecond", Math.round(r.imagesPerSecond()))
            .put(
                "pixelsPerSecond",
                Math.round(
                    r.imagesPerSecond()
                        * trainingExtra.getInteger("patchSize", 0)
                        * trainingExtra.getInteger("patchSize", 0)))
            .put("patchesSeen", r.images())
            .put("seconds", Math.round(r.seconds()))
            .put(
                "epochLoss",
                new io.vertx.core.json.JsonArray(
                    r.epochLoss().stream().map(v -> Evaluator.round(v, 7)).toList()))
            .put(CURVE_EVERY_KEY, Trainer.CURVE_EVERY)
            .put(
                CURVE_KEY,
                new io.vertx.core.json.JsonArray(
                    r.curve().stream().map(v -> Evaluator.round(v, 7)).toList()))
            .mergeIn(trainingExtra);
    JsonObject extra =
        new JsonObject()
            .put("domain", "natural")
            .put("noise", r.config().noise().spec())
            .put("noiseRange255", noiseRange255(r.config().noise()))
            .put("training", training)
            .put("notes", notes == null ? "" : notes);
    ModelCard card =
        OnnxExporter.export(
            model.spec(),
            model.weights(),
            OnnxExporter.card(name, model.spec(), version, extra),
            dir);
    try {
      lossPng(name, r, dir);
    } catch (java.io.UncheckedIOException e) {
      throw new ModelException("cannot write loss.png to " + dir + ": " + e.getMessage(), e);
    }
    return card;
  }

  private static void lossPng(String name, Trainer.Result r, Path dir) {
    Png.loss(
        dir.resolve("loss.png"),
        name,
        r.config().loss(),
        r.model().arch().variational(),
        r.curve(),
        r.epochLoss());
  }

  private static String noiseRange255(Noise n) {
    return String.format(
        Locale.ROOT, "gaussian sigma %.0f..%.0f on 0-255", n.sigma() * 255, n.sigmaMax() * 255);
  }

  /** Metrics for the card: every standard noise and the training noise on all of {@code test}. */
  public static JsonObject measure(Path onnx, ImageSet test, Noise trained) {
    JsonObject m =
        new JsonObject()
            .put("testSet", "MNIST test set")
            .put("testImages", test.count())
            .put("seed", Evaluator.SEED);
    JsonObject by = new JsonObject();
    java.util.LinkedHashSet<String> specs = new java.util.LinkedHashSet<>(STANDARD_NOISES);
    specs.add(trained.spec());
    for (String s : specs) {
      by.put(
          s,
          Evaluator.onnx(onnx, Evaluator.Corrupted.of(test, Noise.parse(s), Evaluator.SEED))
              .toJson());
    }
    m.put("byNoise", by);
    Evaluator.Corrupted slice =
        Evaluator.Corrupted.of(test.head(CHECK_IMAGES), trained, Evaluator.SEED);
    m.put(
        "check",
        Evaluator.onnx(onnx, slice).toJson().put("images", slice.n()).put("noise", trained.spec()));
    m.put(
        "collapse",
        collapse(onnx, Evaluator.Corrupted.of(test, Noise.gaussian(0.5), Evaluator.SEED)));
    return m;
  }

  /**
   * The evidence that the model did not collapse to a blank image: its MSE against the MSE of
   * predicting all zeros, and the spread of its output against that of the clean digits.
   */
  static JsonObject collapse(Path onnx, Evaluator.Corrupted c) {
    float[] out;
    try (OrtModel ort = new OrtModel(onnx, Torch.defaultThreads())) {
      out = ort.denoise(c.noisy(), c.n(), c.h(), c.w(), Evaluator.BATCH);
    }
    float[] zeros = new float[out.length];
    return new JsonObject()
        .put("noise", c.noise().spec())
        .put("mse", Evaluator.round(Metrics.mse(out, c.clean()), 5))
        .put("mseAllZeros", Evaluator.round(Metrics.mse(zeros, c.clean()), 5))
        .put("outputStd", Evaluator.round(std(out), 4))
        .put("cleanStd", Evaluator.round(std(c.clean()), 4));
  }

  static double std(float[] a) {
    double s = 0;
    double q = 0;
    for (float v : a) {
      s += v;
      q += v * v;
    }
    double m = s / a.length;
    return Math.sqrt(Math.max(0, q / a.length - m * m));
  }

  /** Eight test digits at the model's noise: noisy, denoised, clean. */
  public static void samples(Path onnx, ImageSet test, Noise noise, Path file) throws IOException {
    int n = 8;
    Evaluator.Corrupted c = Evaluator.Corrupted.of(test.head(n), noise, Evaluator.SEED);
    float[] den;
    try (OrtModel ort = new OrtModel(onnx, 1)) {
      den = ort.run(c.noisy(), n, c.h(), c.w()).denoised();
    }
    Png.grid(
        file,
        List.of(c.noisy(), den, c.clean()),
        List.of("noisy, " + noiseLabel(noise.spec()), "denoised", "clean"),
        n,
        c.h(),
        c.w(),
        2);
  }

  /** "sigma 0.5" for gaussian:0.5, "salt and pepper 0.1" for sp:0.1, else the spec. */
  static String noiseLabel(String spec) {
    if (spec.startsWith("gaussian:")) {
      return "sigma " + spec.substring("gaussian:".length());
    }
    if (spec.startsWith("sp:")) {
      return "salt and pepper " + spec.substring(3);
    }
    return spec;
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
