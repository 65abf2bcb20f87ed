package dev.denoiser.bench;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.data.Mnist;
import dev.denoiser.data.VideoFrames;
import dev.denoiser.metrics.Metered;
import dev.denoiser.model.ModelCard;
import dev.denoiser.service.ServiceVerticle;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The self-supervised refresh scenario against the running service: a model serves noisy frames
 * (8-bit clipped Gaussian noise) over HTTP with the feed sample on; frames held out of the stream
 * measure the true PSNR against their clean versions before and after one self-supervised run,
 * while a client keeps sending frames through the swap and counts the failed requests. Prints one
 * Markdown table.
 *
 * <ul>
 *   <li>natural-gray: frames of vtest.avi at {@code size}, sigma 75 (0-255);
 *   <li>conv-upsample (or any 28x28 model): MNIST test digits, sigma 0.7 (0-1).
 * </ul>
 */
public final class RefreshBench {
  /**
   * The scenario: model, sigma on 0-255, frames streamed (sampled), held-out frames, the run's
   * budget.
   */
  public record Options(
      Path modelsDir,
      String model,
      Path video,
      int width,
      int height,
      double sigma255,
      int frames,
      int heldOut,
      int steps,
      int batch,
      double learningRate,
      long seed) {}

  /** What a run measured. */
  public record Result(
      int sampled,
      double sigmaEstimate,
      double trainSeconds,
      double truePsnrBefore,
      double truePsnrAfter,
      double gateServing,
      double gateCandidate,
      String state,
      long requests,
      long failed,
      String frameSize) {}

  private final Options o;
  private final PrintStream out;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private String base;

  public RefreshBench(Options o, PrintStream out) {
    this.o = o;
    this.out = out;
  }

  /** Clean 8-bit frames: the video's (natural) or MNIST test digits (28x28 models). */
  List<byte[]> cleanFrames(int count, boolean digits) throws IOException {
    if (digits) {
      var test = Mnist.locate(null).test();
      List<byte[]> f = new ArrayList<>();
      for (int i = 0; i < Math.min(count, test.count()); i++) {
        f.add(test.gray8(i));
      }
      return f;
    }
    return VideoFrames.read(o.video(), o.width(), o.height(), count);
  }

  static byte[] noisy(byte[] clean, double sigma255, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[] b = new byte[clean.length];
    for (int i = 0; i < b.length; i++) {
      double v = Math.rint((clean[i] & 0xff) + sigma255 * gauss(rnd));
      b[i] = (byte) Math.max(0, Math.min(255, v));
    }
    return b;
  }

  static double gauss(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  public Result run() throws Exception {
    ModelCard card = ModelCard.read(o.modelsDir().resolve(o.model()).resolve(ModelCard.FILE));
    boolean digits = card.height() == Mnist.SIZE && card.width() == Mnist.SIZE;
    int w = digits ? Mnist.SIZE : o.width();
    int h = digits ? Mnist.SIZE : o.height();
    // Stream frames from the start of the source; held-out frames from after them, never streamed.
    int gap = digits ? 0 : 45;
    List<byte[]> clean = cleanFrames(o.frames() + gap + o.heldOut() * 3, digits);
    if (clean.size() < o.frames() + o.heldOut()) {
      throw new IOException(
          "the source has "
              + clean.size()
              + " frames; the scenario needs "
              + (o.frames() + o.heldOut()));
    }
    List<byte[]> stream = new ArrayList<>();
    for (int i = 0; i < o.frames(); i++) {
      stream.add(noisy(clean.get(i), o.sigma255(), o.seed() * 100_003 + i));
    }
    List<byte[]> evalClean = new ArrayList<>();
    List<byte[]> evalNoisy = new ArrayList<>();
    int from = Math.min(o.frames() + gap, clean.size() - o.heldOut());
    int step = Math.max(1, (clean.size() - from) / o.heldOut());
    for (int i = from; i < clean.size() && evalClean.size() < o.heldOut(); i += step) {
      evalClean.add(clean.get(i));
      evalNoisy.add(noisy(clean.get(i), o.sigma255(), o.seed() * 7_919 + i));
    }

    Path models = Files.createTempDirectory("denoiser-refresh-bench-");
    Files.createDirectories(models.resolve(o.model()));
    for (String f : new String[] {ModelCard.MODEL_FILE, ModelCard.FILE}) {
      Files.copy(o.modelsDir().resolve(o.model()).resolve(f), models.resolve(o.model()).resolve(f));
    }
    Settings s =
        Settings.of(
            new JsonObject()
                .put(Setting.HTTP_PORT.key(), 0)
                .put(Setting.HTTP_HOST.key(), "127.0.0.1")
                .put(Setting.MODELS_DIR.key(), models.toString())
                .put(Setting.MODELS_DEFAULT.key(), o.model())
                .put(Setting.MODELS_WATCH_MS.key(), 0)
                .put(Setting.KAFKA_ENABLED.key(), false)
                .put(Setting.INFERENCE_INTRA_OP_THREADS.key(), 1)
                .put(Setting.TRAINER_ENABLED.key(), true)
                // the bench's own in-process service on loopback: the documented open-admin case
                .put(Setting.TRAINER_ALLOW_OPEN_ADMIN.key(), true)
                .put(Setting.TRAINER_THREADS.key(), 1)
                .put(Setting.FEED_SAMPLE_MODELS.key(), o.model())
                .put(Setting.FEED_SAMPLE_MAX_FRAMES.key(), o.frames())
                .put(Setting.FEED_SAMPLE_MAX_BYTES.key(), 1L << 30)
                .put(Setting.TRAINER_SELFSUP_STEPS.key(), o.steps())
                .put(Setting.TRAINER_SELFSUP_BATCH_SIZE.key(), o.batch())
                .put(Setting.TRAINER_MIN_BATCH_SIZE.key(), Math.min(8, o.batch()))
                .put(Setting.TRAINER_SELFSUP_LEARNING_RATE.key(), o.learningRate()));
    Metered metered = Metered.create();
    ServiceVerticle sv = new ServiceVerticle(s, metered.serviceMetrics());
    metered
        .vertx()
        .deployVerticle(sv)
        .toCompletionStage()
        .toCompletableFuture()
        .get(120, TimeUnit.SECONDS);
    try {
      base = "http://127.0.0.1:" + sv.httpPort();
      for (byte[] f : stream) {
        denoise(f, w, h);
      }
      int sampled = sv.feedSample().frames(o.model());
      double before = psnr(evalNoisy, evalClean, w, h);

      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong requests = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      Thread load =
          new Thread(
              () -> {
                int i = 0;
                while (!stop.get()) {
                  requests.incrementAndGet();
                  try {
                    if (send(stream.get(i++ % stream.size()), w, h, "application/x-gray8")
                            .statusCode()
                        != 200) {
                      failed.incrementAndGet();
                    }
                  } catch (Exception e) {
                    failed.incrementAndGet();
                  }
                }
              },
              "refresh-bench-load");
      load.start();
      JsonObject run;
      try {
        run = refresh(sv);
        JsonObject r = run.getJsonObject("result", new JsonObject());
        if ("promoted".equals(run.getString("state"))) {
          long v = r.getLong("version");
          long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          while (sv.context().registry().cards().get(o.model()).version() != v
              && System.nanoTime() < end) {
            Thread.sleep(50);
          }
        }
        Thread.sleep(1000);
      } finally {
        stop.set(true);
        load.join();
      }
      double after = psnr(evalNoisy, evalClean, w, h);
      JsonObject r = run.getJsonObject("result", new JsonObject());
      JsonObject gate = r.getJsonObject("gate", new JsonObject());
      String state =
          run.getString("state")
              + (r.containsKey("error") ? " (" + r.getString("error") + ")" : "");
      return new Result(
          sampled,
          r.getDouble("sigmaEstimate", Double.NaN),
          r.getDouble("trainSeconds", Double.NaN),
          before,
          after,
          num(gate, "servingPsnrEstimate"),
          num(gate, "candidatePsnrEstimate"),
          state,
          requests.get(),
          failed.get(),
          w + "x" + h);
    } finally {
      sv.drain()
          .compose(v -> metered.vertx().close())
          .toCompletionStage()
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    }
  }

  private static double num(JsonObject j, String k) {
    Double d = j.getDouble(k);
    return d == null ? Double.NaN : d;
  }

  private JsonObject refresh(ServiceVerticle sv) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/admin/models/" + o.model() + "/train"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"self-supervised\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 202) {
      throw new IOException("the run was not queued: " + r.statusCode() + " " + r.body());
    }
    String id = new JsonObject(r.body()).getString("id");
    while (true) {
      Thread.sleep(500);
      JsonObject run =
          new JsonObject(
              http.send(
                      HttpRequest.newBuilder(URI.create(base + "/v1/admin/runs/" + id)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      if (run.getString("state").matches("promoted|rejected|failed")) {
        return run;
      }
    }
  }

  private HttpResponse<byte[]> send(byte[] body, int w, int h, String type) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    base + "/v1/models/" + o.model() + "/denoise?width=" + w + "&height=" + h))
            .header("Content-Type", type)
            .header("Accept", "application/x-float32")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private float[] denoise(byte[] gray8, int w, int h) throws Exception {
    HttpResponse<byte[]> r = send(gray8, w, h, "application/x-gray8");
    if (r.statusCode() != 200) {
      throw new IOException("denoise answered " + r.statusCode() + ": " + new String(r.body()));
    }
    float[] f = new float[w * h];
    ByteBuffer.wrap(r.body()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  /** Mean PSNR (dB, peak 1) of the service's answers to {@code noisy} against {@code clean}. */
  private double psnr(List<byte[]> noisy, List<byte[]> clean, int w, int h) throws Exception {
    double sum = 0;
    for (int i = 0; i < noisy.size(); i++) {
      float[] d = denoise(noisy.get(i), w, h);
      byte[] c = clean.get(i);
      double mse = 0;
      for (int k = 0; k < d.length; k++) {
        double e = Math.max(0, Math.min(1, d[k])) - (c[k] & 0xff) / 255.0;
        mse += e * e;
      }
      sum += 10 * Math.log10(1 / Math.max(mse / d.length, 1e-12));
    }
    return sum / noisy.size();
  }

  /** Runs the scenario and prints its table. */
  public void runAndPrint() throws Exception {
    Result r = run();
    out.println(
        "| model | frames | noise sigma | frames sampled | sigma estimate | train s | steps x batch "
            + "| PSNR before | PSNR after | gain | gate serving (est.) | gate candidate (est.) | decision "
            + "| requests during refresh | failed |");
    out.println(
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    out.printf(
        Locale.ROOT,
        "| %s | %s | %.1f | %d | %.1f | %.1f | %dx%d | %.2f | %.2f | %+.2f | %.2f | %.2f | %s | %d | %d |%n",
        o.model(),
        r.frameSize(),
        o.sigma255(),
        r.sampled(),
        r.sigmaEstimate(),
        r.trainSeconds(),
        o.steps(),
        o.batch(),
        r.truePsnrBefore(),
        r.truePsnrAfter(),
        r.truePsnrAfter() - r.truePsnrBefore(),
        r.gateServing(),
        r.gateCandidate(),
        r.state(),
        r.requests(),
        r.failed());
    out.println();
    out.printf(
        Locale.ROOT,
        "PSNR before/after: %d held-out frames, never streamed, against their clean versions. "
            + "Gate: clipping-aware SURE on the held-back part of the sample (no clean frames).%n",
        o.heldOut());
  }
}
