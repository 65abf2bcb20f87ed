package dev.denoiser.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.SampleDigits;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live dropping and lossless backpressure, against a batcher that is slow on purpose (each run
 * waits 2 ms for a batch to fill) and can queue only one frame, so a burst overloads it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class StreamFlowControlTest {
  static final String RAW = "format=gray8&width=28&height=28&ids=true";
  @TempDir static Path models;
  static ServiceHarness svc;
  static ImageSet digits;

  @BeforeAll
  static void start(VertxTestContext ctx) throws Exception {
    TestModels.write(models, "conv-upsample", 1, 5);
    digits = SampleDigits.load();
    ServiceHarness.deploy(
            models,
            new JsonObject()
                .put("batching.queueSize", 1)
                .put("batching.maxBatchSize", 4)
                .put("batching.maxBatchDelayMicros", 2000)
                .put("stream.maxInFlight", 8))
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

  double meter(String name) {
    var m = svc.metered.registry().find(name).counter();
    return m == null ? 0 : m.count();
  }

  @Test
  void liveModeDropsStaleFramesAndServesTheNewest(VertxTestContext ctx) {
    int n = 200;
    AtomicLong previous = new AtomicLong(-1);
    AtomicInteger replies = new AtomicInteger();
    WsTestClient.open(svc.vertx, svc.port(), "mode=live&" + RAW)
        .onComplete(
            ctx.succeeding(
                c -> {
                  c.handler(
                      o ->
                          ctx.verify(
                              () -> {
                                StreamReply r = WsTestClient.reply(o);
                                assertTrue(r.seq() > previous.get(), "replies in order");
                                assertEquals(
                                    "f" + r.seq(), r.frameId(), "each reply belongs to its frame");
                                assertTrue(r.dropped() >= 0 && r.dropped() < n);
                                previous.set(r.seq());
                                replies.incrementAndGet();
                                if (r.seq() < n - 1) {
                                  return;
                                }
                                assertTrue(
                                    r.dropped() > 0, "a burst of " + n + " frames must drop some");
                                assertEquals(
                                    n,
                                    replies.get() + r.dropped(),
                                    "every frame is either answered or counted as dropped");
                                c.shut()
                                    .onComplete(
                                        ctx.succeeding(
                                            v ->
                                                ctx.verify(
                                                    () -> {
                                                      assertEquals(
                                                          n,
                                                          replies.get() + r.dropped(),
                                                          "nothing after the reply to the last frame");
                                                      assertTrue(
                                                          meter("denoiser_ws_frames_dropped") > 0);
                                                      ctx.completeNow();
                                                    })));
                              }));
                  for (int i = 0; i < n; i++) {
                    c.send(FrameIdHeader.join("f" + i, digits.gray8(i)));
                  }
                }));
  }

  @Test
  void losslessModeAnswersEveryFrameInOrderUnderBackpressureAndOverload(VertxTestContext ctx) {
    int n = 120;
    double pausesBefore = meter("denoiser_ws_read_pauses");
    double retriesBefore = meter("denoiser_ws_retries");
    AtomicInteger next = new AtomicInteger();
    Checkpoint answered = ctx.checkpoint(n);
    WsTestClient.open(svc.vertx, svc.port(), "mode=lossless&window=4&" + RAW)
        .onComplete(
            ctx.succeeding(
                c -> {
                  c.handler(
                      o ->
                          ctx.verify(
                              () -> {
                                int i = next.getAndIncrement();
                                StreamReply r = WsTestClient.reply(o);
                                assertEquals(i, r.seq());
                                assertEquals("f" + i, r.frameId());
                                assertEquals(0, r.dropped());
                                if (i < n - 1) {
                                  answered.flag();
                                  return;
                                }
                                c.shut()
                                    .onComplete(
                                        ctx.succeeding(
                                            v ->
                                                ctx.verify(
                                                    () -> {
                                                      assertTrue(
                                                          meter("denoiser_ws_read_pauses")
                                                              > pausesBefore,
                                                          "the full window paused reading");
                                                      assertTrue(
                                                          meter("denoiser_ws_retries")
                                                              > retriesBefore,
                                                          "OVERLOADED frames were held and retried");
                                                      answered.flag();
                                                    })));
                              }));
                  for (int i = 0; i < n; i++) {
                    c.send(FrameIdHeader.join("f" + i, digits.gray8(i % digits.count())));
                  }
                }));
  }
}
