package dev.denoiser.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.Frame;
import dev.denoiser.model.ModelCard;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The batcher and the ONNX Runtime workers together, on real (small) exported models. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class InferenceCoreTest {
  @TempDir static Path models;
  static ServiceHarness svc;
  static byte[] dynOnnx;
  static byte[] fixedOnnx;

  @BeforeAll
  static void start(VertxTestContext ctx) throws Exception {
    TestModels.write(models, "dyn", 1, 7);
    TestModels.write(models, "fixed", 1, 8, 28, 28, 4);
    dynOnnx = Files.readAllBytes(models.resolve("dyn").resolve(ModelCard.MODEL_FILE));
    fixedOnnx = Files.readAllBytes(models.resolve("fixed").resolve(ModelCard.MODEL_FILE));
    ServiceHarness.deploy(
            models, new JsonObject().put("batching.maxBatchSize", 16).put("models.default", "dyn"))
        .onComplete(
            ctx.succeeding(
                h -> {
                  svc = h;
                  ctx.completeNow();
                }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    svc.stop().onComplete(ctx.succeedingThenComplete());
  }

  static Frame random(Random r, int h, int w, String id) {
    float[] px = new float[h * w];
    for (int i = 0; i < px.length; i++) {
      px[i] = r.nextFloat();
    }
    return new Frame(px, h, w, "s", id);
  }

  static void assertClose(float[] want, float[] got) {
    assertEquals(want.length, got.length);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-5, "pixel " + i);
    }
  }

  @Test
  void oneFrameMatchesThePlainJavaForwardPass(VertxTestContext ctx) {
    Frame f = random(new Random(1), 28, 28, "a");
    svc.svc()
        .client()
        .infer(f, "dyn")
        .onComplete(
            ctx.succeeding(
                r ->
                    ctx.verify(
                        () -> {
                          assertClose(
                              TestModels.reference(dynOnnx, f.pixels(), 28, 28),
                              r.denoised().pixels());
                          assertEquals(4, r.latent().length);
                          assertEquals(1, r.modelVersion());
                          assertEquals("a", r.denoised().frameId());
                          ctx.completeNow();
                        })));
  }

  @Test
  void concurrentCallersShareRunsAndEachGetsItsOwnAnswer(VertxTestContext ctx) {
    double runsBefore = svc.svc().metrics().model("dyn").execCount.count();
    Random rnd = new Random(2);
    List<Frame> frames = new ArrayList<>();
    List<Future<InferenceResult>> futures = new ArrayList<>();
    for (int i = 0; i < 96; i++) {
      int size = i % 3 == 0 ? 32 : 28;
      Frame f = random(rnd, size, size, "f" + i);
      frames.add(f);
      futures.add(svc.svc().client().infer(f, null));
    }
    Future.all(futures)
        .onComplete(
            ctx.succeeding(
                all ->
                    ctx.verify(
                        () -> {
                          for (int i = 0; i < frames.size(); i++) {
                            Frame f = frames.get(i);
                            InferenceResult r = futures.get(i).result();
                            assertEquals(f.frameId(), r.denoised().frameId());
                            assertEquals(f.height(), r.denoised().height());
                            assertClose(
                                TestModels.reference(dynOnnx, f.pixels(), f.height(), f.width()),
                                r.denoised().pixels());
                          }
                          double runs =
                              svc.svc().metrics().model("dyn").execCount.count() - runsBefore;
                          assertTrue(
                              runs < 96,
                              "96 concurrent frames should share ONNX Runtime runs, took " + runs);
                          assertTrue(futures.stream().anyMatch(f -> f.result().batchSize() > 1));
                          assertTrue(
                              futures.stream().allMatch(f -> f.result().batchSize() <= 16),
                              "maxBatchSize is 16");
                          ctx.completeNow();
                        })));
  }

  @Test
  void unknownModelAndWrongShapeAreTypedErrors(VertxTestContext ctx) {
    Frame f = random(new Random(3), 30, 30, null);
    Checkpoint refused = ctx.checkpoint(2);
    assertCode(ctx, refused, ErrorCode.MODEL_NOT_FOUND, svc.svc().client().infer(f, "nope"));
    assertCode(ctx, refused, ErrorCode.UNSUPPORTED_SHAPE, svc.svc().client().infer(f, "fixed"));
  }

  @Test
  void oneBadFrameDoesNotFailItsBatchmates() {
    Random rnd = new Random(4);
    List<Frame> frames =
        List.of(random(rnd, 28, 28, "ok1"), random(rnd, 30, 30, "bad"), random(rnd, 28, 28, "ok2"));
    BatchResult r =
        InferenceVerticle.run(svc.svc().registry(), new Batch("fixed", frames, System.nanoTime()));
    assertNull(r.errors()[0]);
    assertNotNull(r.errors()[1]);
    assertEquals(ErrorCode.INTERNAL, r.errors()[1].code());
    assertNull(r.errors()[2]);
    assertClose(TestModels.reference(fixedOnnx, frames.get(0).pixels(), 28, 28), r.denoised()[0]);
    assertClose(TestModels.reference(fixedOnnx, frames.get(2).pixels(), 28, 28), r.denoised()[2]);
  }

  /** Flags {@code done} once {@code f} fails with a {@link DenoiserException} of {@code code}. */
  static void assertCode(VertxTestContext ctx, Checkpoint done, ErrorCode code, Future<?> f) {
    f.onComplete(
        ctx.failing(
            t ->
                ctx.verify(
                    () -> {
                      DenoiserException de = assertInstanceOf(DenoiserException.class, t);
                      assertEquals(code, de.code(), de.getMessage());
                      done.flag();
                    })));
  }

  @Test
  void latentMatchesTheGraph(VertxTestContext ctx) {
    Frame f = random(new Random(5), 8, 12, null);
    Future<InferenceResult> first = svc.svc().client().infer(f, "dyn");
    first
        .compose(r -> svc.svc().client().infer(f, "dyn"))
        .onComplete(
            ctx.succeeding(
                again ->
                    ctx.verify(
                        () -> {
                          InferenceResult r = first.result();
                          assertEquals(8, r.denoised().height());
                          assertEquals(12, r.denoised().width());
                          assertEquals(4, r.latent().length);
                          for (float v : r.latent()) {
                            assertTrue(v >= 0, "latent is an average of ReLU outputs");
                          }
                          assertArrayEquals(r.latent(), again.latent());
                          ctx.completeNow();
                        })));
  }
}
