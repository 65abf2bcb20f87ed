package dev.denoiser.bench;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.data.ImageSet;
import dev.denoiser.data.SampleDigits;
import dev.denoiser.frame.Frame;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.metrics.ServiceMetrics;
import dev.denoiser.model.ModelCard;
import dev.denoiser.service.ServiceVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The serving core against raw ONNX Runtime, in one process on one model: raw batch-1 and batch-64
 * runs, then closed-loop callers through the event bus and batcher, then through HTTP, at several
 * concurrencies. Prints one table and the three target checks.
 */
public final class CoreBench {
  /** What to measure. */
  public record Options(
      Path modelsDir, String model, int size, int[] concurrency, double seconds, int threads) {}

  private final Options opt;
  private final PrintStream out;

  public CoreBench(Options opt, PrintStream out) {
    this.opt = opt;
    this.out = out;
  }

  public void run() throws Exception {
    ModelCard card = ModelCard.read(opt.modelsDir().resolve(opt.model()).resolve(ModelCard.FILE));
    int h = card.dynamicSize() ? opt.size() : card.height();
    int w = card.dynamicSize() ? opt.size() : card.width();
    List<float[]> frames = frames(h, w);
    out.printf(
        Locale.ROOT,
        "model %s v%d (%s), %dx%d frames, %d intra-op thread(s), %d cores, %.0f s per cell%n%n",
        card.name(),
        card.version(),
        card.architecture(),
        h,
        w,
        opt.threads(),
        Runtime.getRuntime().availableProcessors(),
        opt.seconds());
    List<String[]> rows = new ArrayList<>();
    Stats raw1;
    Stats raw64;
    try (RawOrt raw =
        new RawOrt(
            opt.modelsDir().resolve(opt.model()).resolve(ModelCard.MODEL_FILE), opt.threads())) {
      raw1 = raw.measure(frames, h, w, 1, opt.seconds());
      raw64 = raw.measure(frames, h, w, 64, opt.seconds());
    }
    rows.add(row("raw ONNX Runtime, batch 1", "-", raw1, raw64));
    rows.add(row("raw ONNX Runtime, batch 64", "-", raw64, raw64));

    Settings settings =
        Settings.of(
            new JsonObject()
                .put(Setting.HTTP_PORT.key(), 0)
                .put(Setting.HTTP_HOST.key(), "127.0.0.1")
                .put(Setting.MODELS_DIR.key(), opt.modelsDir().toString())
                .put(Setting.INFERENCE_INTRA_OP_THREADS.key(), opt.threads())
                .put(Setting.BATCH_QUEUE_SIZE.key(), 4096)
                .put(Setting.BATCH_MAX_SIZE.key(), 64)
                // one client opens up to 256 connections from one address: the per-address cap
                // (128 by default, against a flood from one host) would refuse half of them
                .put(Setting.HTTP_MAX_CONNECTIONS_PER_CLIENT.key(), 0)
                // the serving core alone: no broker, demo feed or directory polling sharing the
                // cores
                .put(Setting.KAFKA_ENABLED.key(), false)
                .put(Setting.MODELS_WATCH_MS.key(), 0));
    Vertx vertx = Vertx.vertx();
    ServiceVerticle service = new ServiceVerticle(settings, ServiceMetrics.inMemory());
    Stats bus1 = null;
    Stats bus64 = null;
    Stats http64 = null;
    try {
      await(vertx.deployVerticle(service));
      var client = service.context().client();
      List<Frame> inputs = new ArrayList<>();
      for (float[] px : frames) {
        inputs.add(new Frame(px, h, w));
      }
      ClosedLoop bus =
          new ClosedLoop(vertx, i -> client.infer(inputs.get(i % inputs.size()), opt.model()));
      for (int c : opt.concurrency()) {
        Stats s = await(bus.run(c, 1.0, opt.seconds()));
        rows.add(row("event bus + batcher", Integer.toString(c), s, raw64));
        bus1 = c == 1 ? s : bus1;
        bus64 = c == 64 ? s : bus64;
      }
      WebClient web =
          WebClient.create(
              vertx,
              new WebClientOptions()
                  .setDefaultHost("127.0.0.1")
                  .setDefaultPort(service.httpPort())
                  .setKeepAlive(true),
              new io.vertx.core.http.PoolOptions().setHttp1MaxSize(512));
      List<Buffer> bodies = new ArrayList<>();
      for (float[] px : frames) {
        bodies.add(Buffer.buffer(FrameCodec.toGray8(px)));
      }
      String path = "/v1/models/" + opt.model() + "/denoise?width=" + w + "&height=" + h;
      ClosedLoop http =
          new ClosedLoop(
              vertx,
              i ->
                  web.post(path)
                      .putHeader("Content-Type", "application/x-gray8")
                      .sendBuffer(bodies.get(i % bodies.size()))
                      .compose(
                          r ->
                              r.statusCode() == 200
                                  ? Future.succeededFuture(r)
                                  : Future.failedFuture("HTTP " + r.statusCode())));
      for (int c : opt.concurrency()) {
        Stats s = await(http.run(c, 1.0, opt.seconds()));
        rows.add(row("HTTP /v1 denoise (gray8)", Integer.toString(c), s, raw64));
        http64 = c == 64 ? s : http64;
      }
      web.close();
    } finally {
      await(service.drain().compose(v -> vertx.close()));
    }
    printTable(rows);
    out.println();
    if (bus64 != null) {
      check("event bus @64 vs raw batch-64", pct(bus64, raw64), ">= 90%");
    }
    if (http64 != null) {
      check("HTTP @64 vs raw batch-64", pct(http64, raw64), ">= 60%");
    }
    if (bus1 != null) {
      out.printf(
          Locale.ROOT,
          "%-34s %+.3f ms p50 (target <= +0.5 ms)%n",
          "event bus @1 overhead over raw batch-1",
          bus1.p50Ms() - raw1.p50Ms());
    }
  }

  private void check(String what, double pct, String target) {
    out.printf(Locale.ROOT, "%-34s %.0f%% (target %s)%n", what, pct, target);
  }

  private static double pct(Stats s, Stats base) {
    return 100.0 * s.framesPerSecond() / base.framesPerSecond();
  }

  private static String[] row(String path, String conc, Stats s, Stats raw64) {
    return new String[] {
      path,
      conc,
      Stats.fmt(s.framesPerSecond()),
      Stats.fmt(s.p50Ms()),
      Stats.fmt(s.p99Ms()),
      String.format(Locale.ROOT, "%.0f%%", pct(s, raw64)),
      Long.toString(s.errors())
    };
  }

  private void printTable(List<String[]> rows) {
    String[] head = {
      "path", "concurrency", "frames/s", "p50 ms", "p99 ms", "% of raw b64", "errors"
    };
    out.println("| " + String.join(" | ", head) + " |");
    out.println("|" + " --- |".repeat(head.length));
    for (String[] r : rows) {
      out.println("| " + String.join(" | ", r) + " |");
    }
  }

  private static List<float[]> frames(int h, int w) {
    ImageSet digits = SampleDigits.load();
    Random rnd = new Random(42);
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      float[] px = new float[h * w];
      float[] d = digits.image(i % digits.count());
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float v = d[(y % 28) * 28 + (x % 28)] + (float) (rnd.nextGaussian() * 0.3);
          px[y * w + x] = Math.min(1f, Math.max(0f, v));
        }
      }
      out.add(px);
    }
    return out;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }
}
