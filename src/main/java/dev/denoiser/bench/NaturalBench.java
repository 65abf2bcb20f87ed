package dev.denoiser.bench;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.kafka.client.KafkaOptions;
import dev.denoiser.kafka.embedded.EmbeddedKafka;
import dev.denoiser.metrics.ServiceMetrics;
import dev.denoiser.model.ModelCard;
import dev.denoiser.model.eval.Image;
import dev.denoiser.model.eval.Reflect;
import dev.denoiser.service.ServiceVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * {@code bench natural}: frames/s and megapixels/s of the natural-image models at camera sizes,
 * through every way in, in one run on the same cores: raw ONNX Runtime (batch 1, the service's
 * intra-op threads), {@code POST /v1/models/{m}/denoise}, the {@code /v1/stream} WebSocket
 * (lossless) and Kafka ({@code frames.noisy} to {@code frames.denoised}), all against one
 * in-process service, plus OpenCV's non-local means on the same frame when OpenCV is on the
 * classpath. The service paths are closed loops with {@code window} frames in flight ({@link
 * TimedLoop}: a period lasts at least until {@link #MIN_FRAMES} frames came back). Prints progress
 * and a Markdown table, and writes the table to {@code out}.
 */
public final class NaturalBench {
  /** The command that runs this benchmark with OpenCV on the classpath (it is not in the jar). */
  public static final String WITH_OPENCV =
      "nice -n 10 mvn -o -q compile exec:java -Dexec.classpathScope=test"
          + " -Dexec.mainClass=dev.denoiser.cli.Main -Dexec.args=\"bench natural\"";

  static final String NO_OPENCV =
      "n/a (OpenCV is not in the jar: run via mvn exec:java, command below)";

  /** Paths of a table row. */
  public static final String RAW = "raw ONNX Runtime";

  public static final String HTTP = "HTTP";
  public static final String WEBSOCKET = "WebSocket";
  public static final String KAFKA = "Kafka";
  public static final String NLM = "OpenCV non-local means";

  /** A measured period runs on until this many frames came back in it. */
  static final int MIN_FRAMES = 2;

  /** A frame size. */
  public record Size(int width, int height) {
    /** {@code WIDTHxHEIGHT}. */
    public static Size parse(String s) {
      String[] p = s.trim().toLowerCase(Locale.ROOT).split("x");
      try {
        if (p.length == 2 && Integer.parseInt(p[0]) > 0 && Integer.parseInt(p[1]) > 0) {
          return new Size(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
        }
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
      throw new IllegalArgumentException("a size is WIDTHxHEIGHT, e.g. 640x480, got '" + s + "'");
    }

    @Override
    public String toString() {
      return width + "x" + height;
    }
  }

  /**
   * What to measure: models under {@code modelsDir}, frame sizes, the photo the frames are made of,
   * measured and warm-up seconds per path, frames in flight, ONNX Runtime intra-op threads (0: all
   * cores), an external broker (null: an embedded one), whether to time OpenCV, where the Markdown
   * goes (null: nowhere).
   */
  public record Options(
      Path modelsDir,
      List<String> models,
      List<Size> sizes,
      Path photo,
      double seconds,
      double warmupSeconds,
      int window,
      int threads,
      String bootstrap,
      boolean nlm,
      Path out) {}

  /** One row: the stats of a path, or a note instead of them. */
  public record Row(String model, Size size, String path, Stats stats, String note) {
    public double megapixelsPerSecond() {
      return stats == null
          ? 0
          : stats.framesPerSecond() * size.width() * (double) size.height() / 1e6;
    }

    String markdown() {
      if (stats == null) {
        return String.format(
            Locale.ROOT, "| %s | %s | %s | %s | - | - | - | - |", model, size, path, note);
      }
      return String.format(
          Locale.ROOT,
          "| %s | %s | %s | %s | %s | %s | %s | %d |",
          model,
          size,
          path,
          Stats.fmt(stats.framesPerSecond()),
          Stats.fmt(megapixelsPerSecond()),
          Stats.fmt(stats.p50Ms()),
          Stats.fmt(stats.p99Ms()),
          stats.errors());
    }
  }

  private final Options opt;
  private final PrintStream out;

  public NaturalBench(Options opt, PrintStream out) {
    this.opt = opt;
    this.out = out;
  }

  /** Runs every cell, prints and writes the table; returns the rows. */
  public List<Row> run() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    int threads = opt.threads() > 0 ? opt.threads() : cores;
    List<ModelCard> cards = new ArrayList<>();
    for (String m : opt.models()) {
      cards.add(ModelCard.read(opt.modelsDir().resolve(m).resolve(ModelCard.FILE)));
    }
    String load0 = loadAverage();
    long t0 = System.nanoTime();
    List<Row> rows = new ArrayList<>();
    Path kafkaDir =
        opt.bootstrap() == null ? Files.createTempDirectory("bench-natural-kafka") : null;
    Path modelsDir = selectedModels();
    try (EmbeddedKafka broker = kafkaDir == null ? null : EmbeddedKafka.start(kafkaDir, 0)) {
      String bootstrap = broker == null ? opt.bootstrap() : broker.bootstrapServers();
      progress(
          "broker %s; service with %d intra-op thread(s) on %d core(s)", bootstrap, threads, cores);
      Settings settings = settings(bootstrap, threads, modelsDir);
      Vertx vertx = Vertx.vertx();
      ServiceVerticle service = new ServiceVerticle(settings, ServiceMetrics.inMemory());
      try {
        await(vertx.deployVerticle(service));
        for (ModelCard card : cards) {
          // fail now, not after every path timed out, when the service did not load a model
          service.context().registry().card(card.name());
        }
        WebClient web =
            WebClient.create(
                vertx,
                new WebClientOptions()
                    .setDefaultHost("127.0.0.1")
                    .setDefaultPort(service.httpPort())
                    .setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(opt.window()));
        try (KafkaPath kafka = KafkaPath.open(KafkaOptions.from(settings, bootstrap))) {
          for (Size size : opt.sizes()) {
            Set<Integer> channels = new LinkedHashSet<>();
            for (ModelCard card : cards) {
              NaturalFrame f =
                  NaturalFrame.of(opt.photo(), size.width(), size.height(), card.channels());
              channels.add(card.channels());
              rows.add(raw(card, f, size, threads));
              rows.add(loop(vertx, card, size, HTTP, http(web, card.name(), f)));
              WsPath ws =
                  await(WsPath.connect(vertx, service.httpPort(), card.name(), f, opt.window()));
              try {
                rows.add(loop(vertx, card, size, WEBSOCKET, ws::send));
              } finally {
                ws.close();
              }
              rows.add(loop(vertx, card, size, KAFKA, i -> kafka.send(card.name(), f, i)));
            }
            if (opt.nlm()) {
              for (int c : channels) {
                rows.add(nlm(NaturalFrame.of(opt.photo(), size.width(), size.height(), c), size));
              }
            }
          }
        } finally {
          web.close();
        }
      } finally {
        await(service.drain().compose(v -> vertx.close()));
      }
    } finally {
      if (kafkaDir != null) {
        deleteTree(kafkaDir);
      }
      deleteTree(modelsDir);
    }
    String md = markdown(rows, threads, cores, load0, (System.nanoTime() - t0) / 1e9);
    out.println();
    out.print(md);
    if (opt.out() != null) {
      Path parent = opt.out().toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(opt.out(), md);
      out.println("written to " + opt.out());
    }
    return rows;
  }

  /**
   * A directory with copies of only the measured models, so the service loads those and no others
   * (copies, not links: the model loader follows no symbolic links).
   */
  private Path selectedModels() throws IOException {
    Path dir = Files.createTempDirectory("bench-natural-models");
    for (String m : opt.models()) {
      Path src = opt.modelsDir().resolve(m).toAbsolutePath();
      Files.createDirectories(dir.resolve(m));
      for (String f : List.of(ModelCard.FILE, ModelCard.MODEL_FILE)) {
        Files.copy(src.resolve(f), dir.resolve(m).resolve(f));
      }
    }
    return dir;
  }

  private Settings settings(String bootstrap, int threads, Path modelsDir) {
    String s = "bench-natural-" + UUID.randomUUID().toString().substring(0, 8);
    return Settings.of(
        new JsonObject()
            .put(Setting.HTTP_PORT.key(), 0)
            .put(Setting.HTTP_HOST.key(), "127.0.0.1")
            .put(Setting.MODELS_DIR.key(), modelsDir.toString())
            .put(Setting.MODELS_DEFAULT.key(), opt.models().get(0))
            .put(Setting.MODELS_WATCH_MS.key(), 0)
            .put(Setting.INFERENCE_INTRA_OP_THREADS.key(), threads)
            .put(Setting.KAFKA_BOOTSTRAP_SERVERS.key(), bootstrap)
            .put(Setting.KAFKA_TOPIC_NOISY.key(), "noisy." + s)
            .put(Setting.KAFKA_TOPIC_DENOISED.key(), "denoised." + s)
            .put(Setting.KAFKA_TOPIC_LATENT.key(), "latent." + s)
            .put(Setting.KAFKA_TOPIC_DLQ.key(), "dlq." + s)
            .put(Setting.KAFKA_GROUP_ID.key(), "group." + s)
            .put(Setting.KAFKA_TOPIC_MODELS.key(), "")
            .put(Setting.KAFKA_TOPIC_REFERENCE.key(), "")
            .put(Setting.KAFKA_DEMO_ENABLED.key(), "false")
            .put(Setting.KAFKA_STATS_INTERVAL_MS.key(), 0)
            .put(Setting.KAFKA_CLIENT_PROPERTIES.key(), KafkaPath.CLIENT_PROPERTIES)
            // a 1920x1080 output record is 2 MB: the default cap (1 MB, under Kafka's default
            // max.message.bytes) would dead-letter every one; the bench's topics take 32 MiB
            .put(Setting.KAFKA_MAX_RECORD_BYTES.key(), KafkaPath.MAX_RECORD_BYTES));
  }

  private Row raw(ModelCard card, NaturalFrame f, Size size, int threads) throws Exception {
    int m = Math.max(1, card.sizeMultiple());
    Image img =
        Reflect.pad(
            new Image(f.width(), f.height(), f.channels(), f.planar()),
            Reflect.roundUp(f.width(), m),
            Reflect.roundUp(f.height(), m));
    Stats s;
    try (RawOrt raw =
        new RawOrt(opt.modelsDir().resolve(card.name()).resolve(ModelCard.MODEL_FILE), threads)) {
      s =
          raw.measure(
              List.of(img.data()), f.channels(), img.height(), img.width(), 1, opt.seconds());
    }
    return report(new Row(card.name(), size, RAW, s, null));
  }

  private Row loop(
      Vertx vertx, ModelCard card, Size size, String path, IntFunction<Future<?>> request)
      throws Exception {
    progress(
        "%s %s %s: %.0f s warm-up, %.0f s measured, %d in flight",
        card.name(), size, path, opt.warmupSeconds(), opt.seconds(), opt.window());
    Stats s =
        await(
            new TimedLoop(vertx, request)
                .run(opt.window(), opt.warmupSeconds(), opt.seconds(), MIN_FRAMES));
    return report(new Row(card.name(), size, path, s, null));
  }

  private IntFunction<Future<?>> http(WebClient web, String model, NaturalFrame f) {
    String uri = "/v1/models/" + model + "/denoise?width=" + f.width() + "&height=" + f.height();
    Buffer body = Buffer.buffer(f.wire());
    String mime = f.mediaType().mime();
    return i ->
        web.post(uri)
            .putHeader("Content-Type", mime)
            .sendBuffer(body)
            .compose(
                r -> {
                  if (r.statusCode() != 200) {
                    return Future.failedFuture("HTTP " + r.statusCode() + ": " + r.bodyAsString());
                  }
                  Buffer b = r.body();
                  return b != null && b.length() == f.wire().length
                      ? Future.succeededFuture()
                      : Future.failedFuture("reply of " + (b == null ? 0 : b.length()) + " bytes");
                });
  }

  /**
   * OpenCV's non-local means (h 25, windows 7 and 21) on the same frame, or a note without OpenCV.
   */
  private Row nlm(NaturalFrame f, Size size) {
    String label = f.channels() == 1 ? "- (gray)" : "- (RGB)";
    String problem;
    try {
      problem = dev.denoiser.model.eval.OpenCvSupport.problem();
      if (problem == null) {
        progress("%s %s: OpenCV non-local means, %.0f s", label, size, opt.seconds());
        return report(
            new Row(
                label,
                size,
                NLM + " h=25",
                NlmTiming.measure(f.image(), NaturalFrame.SIGMA, opt.seconds()),
                null));
      }
    } catch (LinkageError e) {
      problem = "OpenCV does not load: " + e;
    }
    progress("%s %s: no OpenCV (%s)", label, size, problem);
    return new Row(label, size, NLM, null, NO_OPENCV);
  }

  private Row report(Row r) {
    progress(
        "  %s %s %s: %s frames/s, %s MP/s, p50 %s ms, p99 %s ms, %d error(s)",
        r.model(),
        r.size(),
        r.path(),
        Stats.fmt(r.stats().framesPerSecond()),
        Stats.fmt(r.megapixelsPerSecond()),
        Stats.fmt(r.stats().p50Ms()),
        Stats.fmt(r.stats().p99Ms()),
        r.stats().errors());
    return r;
  }

  private String markdown(List<Row> rows, int threads, int cores, String load0, double seconds) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "bench natural: %s, frames of %s (sigma %.0f noise), %.0f s per path after "
                + "%.0f s warm-up, %d frame(s) in flight, ONNX Runtime %d intra-op thread(s) (raw: batch 1), %d cores; "
                + "load average %s at start, %s at end; %.0f s in all%n%n",
            String.join(", ", opt.models()),
            opt.photo().getFileName(),
            NaturalFrame.SIGMA,
            opt.seconds(),
            opt.warmupSeconds(),
            opt.window(),
            threads,
            cores,
            load0,
            loadAverage(),
            seconds));
    b.append("| model | size | path | frames/s | megapixels/s | p50 ms | p99 ms | errors |\n");
    b.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Row r : rows) {
      b.append(r.markdown()).append('\n');
    }
    if (rows.stream().anyMatch(r -> NO_OPENCV.equals(r.note()))) {
      b.append("\nWith OpenCV: ").append(WITH_OPENCV).append('\n');
    }
    return b.toString();
  }

  private void progress(String fmt, Object... args) {
    out.printf(Locale.ROOT, "[bench natural] " + fmt + "%n", args);
    out.flush();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }
}
