package dev.denoiser.hotswap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.Frame;
import dev.denoiser.inference.InferenceResult;
import dev.denoiser.inference.ModelHandle;
import dev.denoiser.inference.ModelRegistry;
import dev.denoiser.model.ModelCard;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Swapping model versions under load, and refusing bad ones while the old keeps serving. */
class HotSwapTest {
  @TempDir Path models;
  @TempDir Path staging;
  ServiceHarness svc;
  final Map<Long, byte[]> onnxByVersion = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    Path dir = TestModels.write(models, "m", 1, 100);
    onnxByVersion.put(1L, Files.readAllBytes(dir.resolve(ModelCard.MODEL_FILE)));
    svc = ServiceHarness.start(models, new JsonObject().put("models.default", "m"));
  }

  @AfterEach
  void stop() throws Exception {
    svc.close();
  }

  record Sample(long sentNanos, long doneNanos, Frame in, InferenceResult out) {}

  @Test
  void swapsUnderLoadFailNothingAndTagEachAnswerWithTheVersionThatMadeIt() throws Exception {
    ModelRegistry registry = svc.svc().registry();
    List<Sample> samples = new CopyOnWriteArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger inFlight = new AtomicInteger();
    Promise<Void> loadDone = Promise.promise();
    Random rnd = new Random(9);
    for (int c = 0; c < 8; c++) {
      inFlight.incrementAndGet();
      loop(rnd.nextLong(), samples, failures, running, inFlight, loadDone);
    }
    Map<Long, long[]> live = new ConcurrentHashMap<>();
    live.put(1L, new long[] {0, Long.MAX_VALUE});
    for (long v = 2; v <= 6; v++) {
      // not a wait: the load runs for a while on each version before the next swap (the stimulus)
      Thread.sleep(60);
      Path dir = TestModels.write(staging.resolve("v" + v), "m", v, 100 + v);
      onnxByVersion.put(v, Files.readAllBytes(dir.resolve(ModelCard.MODEL_FILE)));
      long before = System.nanoTime();
      registry.install(dir);
      long after = System.nanoTime();
      live.get(v - 1)[1] = after;
      live.put(v, new long[] {before, Long.MAX_VALUE});
    }
    Thread.sleep(60); // the last version serves load for a while too (stimulus, not a wait)
    running.set(false);
    ServiceHarness.await(loadDone.future());

    assertEquals(List.of(), failures, "no request may fail during swaps");
    assertTrue(samples.size() > 50, "load ran: " + samples.size());
    long[] perVersion = new long[7];
    for (Sample s : samples) {
      long v = s.out().modelVersion();
      perVersion[(int) v]++;
      long[] window = live.get(v);
      assertTrue(
          s.doneNanos() >= window[0] && s.sentNanos() <= window[1],
          "version " + v + " answered a request outside the time it was live");
      float[] want =
          TestModels.reference(
              onnxByVersion.get(v), s.in().pixels(), s.in().height(), s.in().width());
      for (int i = 0; i < want.length; i++) {
        assertEquals(
            want[i], s.out().denoised().pixels()[i], 1e-5, "pixels must come from version " + v);
      }
    }
    assertEquals(6, registry.card("m").version());
    assertTrue(perVersion[6] > 0, "the last version served requests");
  }

  private void loop(
      long seed,
      List<Sample> samples,
      List<Throwable> failures,
      AtomicBoolean running,
      AtomicInteger inFlight,
      Promise<Void> done) {
    if (!running.get()) {
      if (inFlight.decrementAndGet() == 0) {
        done.complete();
      }
      return;
    }
    Random r = new Random(seed);
    float[] px = new float[28 * 28];
    for (int i = 0; i < px.length; i++) {
      px[i] = r.nextFloat();
    }
    Frame f = new Frame(px, 28, 28);
    long sent = System.nanoTime();
    svc.svc()
        .client()
        .infer(f, "m")
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                samples.add(new Sample(sent, System.nanoTime(), f, ar.result()));
              } else {
                failures.add(ar.cause());
              }
              loop(r.nextLong(), samples, failures, running, inFlight, done);
            });
  }

  @Test
  void badModelsAreRefusedAndTheOldVersionKeepsServing() throws Exception {
    ModelRegistry registry = svc.svc().registry();
    // checksum: bytes changed after the card was written
    Path tampered = TestModels.write(staging, "m", 2, 5);
    byte[] bytes = Files.readAllBytes(tampered.resolve(ModelCard.MODEL_FILE));
    bytes[bytes.length - 1] ^= 1;
    Files.write(tampered.resolve(ModelCard.MODEL_FILE), bytes);
    assertRejected(registry, tampered, "sha256");
    // garbage with a matching checksum: does not parse
    Path garbage =
        TestModels.writeDir(
            staging.resolve("g").resolve("m"),
            "m",
            3,
            "not onnx".getBytes(StandardCharsets.UTF_8),
            0,
            0,
            4);
    assertRejected(registry, garbage, "does not parse");
    // wrong output name
    Path renamed =
        TestModels.writeDir(
            staging.resolve("r").resolve("m"),
            "m",
            4,
            TestModels.onnx(1, 0, 0, 4, "clean"),
            0,
            0,
            4);
    assertRejected(registry, renamed, "denoised");
    // a different latent size than the serving version
    Path wider = TestModels.write(staging.resolve("w"), "m", 5, 6, 0, 0, 8);
    assertRejected(registry, wider, "contract");
    // not newer
    Path old = TestModels.write(staging.resolve("o"), "m", 1, 7);
    assertRejected(registry, old, "not newer");

    assertEquals(1, registry.card("m").version());
    InferenceResult r =
        ServiceHarness.await(svc.svc().client().infer(new Frame(new float[64], 8, 8), "m"));
    assertEquals(1, r.modelVersion());
    double refused =
        svc.svc().metrics().registry().find("denoiser_model_load_failures").counters().stream()
            .mapToDouble(Counter::count)
            .sum();
    assertEquals(5.0, refused);
  }

  private static void assertRejected(ModelRegistry registry, Path dir, String reason) {
    DenoiserException e = assertThrows(DenoiserException.class, () -> registry.install(dir));
    assertEquals(ErrorCode.MODEL_REJECTED, e.code());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void futuresAllowAnswersAfterSwap() {
    // a request in flight while its version is retired still completes on the old session
    ModelRegistry registry = svc.svc().registry();
    ModelHandle h = registry.acquire("m");
    registry.install(TestModels.write(staging.resolve("n"), "m", 2, 11));
    assertTrue(!h.closed(), "a held handle stays open after the swap");
    h.release();
    assertTrue(h.closed(), "the last release closes the retired version");
    Future<InferenceResult> f = svc.svc().client().infer(new Frame(new float[16], 4, 4), "m");
    assertEquals(2, assertDone(f).modelVersion());
  }

  private static InferenceResult assertDone(Future<InferenceResult> f) {
    try {
      return ServiceHarness.await(f);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
