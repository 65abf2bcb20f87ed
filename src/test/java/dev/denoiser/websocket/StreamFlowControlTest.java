package dev.denoiser.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.SampleDigits;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live dropping and lossless backpressure, against a batcher that is slow on purpose (each run waits
 * 2 ms for a batch to fill) and can queue only one frame, so a burst overloads it.
 */
class StreamFlowControlTest {
  static final String RAW = "format=gray8&width=28&height=28&ids=true";
  @TempDir static Path models;
  static ServiceHarness svc;
  static ImageSet digits;

  @BeforeAll
  static void start() throws Exception {
    TestModels.write(models, "conv-upsample", 1, 5);
    digits = SampleDigits.load();
    svc = ServiceHarness.start(models, new JsonObject().put("batching.queueSize", 1)
        .put("batching.maxBatchSize", 4).put("batching.maxBatchDelayMicros", 2000).put("stream.maxInFlight", 8));
  }

  @AfterAll
  static void stop() throws Exception {
    svc.close();
  }

  double meter(String name) {
    var m = svc.metered.registry().find(name).counter();
    return m == null ? 0 : m.count();
  }

  @Test
  void liveModeDropsStaleFramesAndServesTheNewest() throws Exception {
    int n = 200;
    try (WsTestClient c = WsTestClient.connect(svc.vertx, svc.port(), "mode=live&" + RAW)) {
      for (int i = 0; i < n; i++) {
        c.send(FrameIdHeader.join("f" + i, digits.gray8(i)));
      }
      long previous = -1;
      int replies = 0;
      StreamReply r;
      do {
        r = c.nextReply();
        assertTrue(r.seq() > previous, "replies in order");
        assertEquals("f" + r.seq(), r.frameId(), "each reply belongs to its frame");
        assertTrue(r.dropped() >= 0 && r.dropped() < n);
        previous = r.seq();
        replies++;
      } while (r.seq() < n - 1);
      assertTrue(r.dropped() > 0, "a burst of " + n + " frames must drop some");
      assertEquals(n, replies + r.dropped(), "every frame is either answered or counted as dropped");
      assertTrue(c.received.isEmpty());
    }
    assertTrue(meter("denoiser_ws_frames_dropped") > 0);
  }

  @Test
  void losslessModeAnswersEveryFrameInOrderUnderBackpressureAndOverload() throws Exception {
    int n = 120;
    double pausesBefore = meter("denoiser_ws_read_pauses");
    double retriesBefore = meter("denoiser_ws_retries");
    try (WsTestClient c = WsTestClient.connect(svc.vertx, svc.port(), "mode=lossless&window=4&" + RAW)) {
      for (int i = 0; i < n; i++) {
        c.send(FrameIdHeader.join("f" + i, digits.gray8(i % digits.count())));
      }
      for (int i = 0; i < n; i++) {
        StreamReply r = c.nextReply();
        assertEquals(i, r.seq());
        assertEquals("f" + i, r.frameId());
        assertEquals(0, r.dropped());
      }
    }
    assertTrue(meter("denoiser_ws_read_pauses") > pausesBefore, "the full window paused reading");
    assertTrue(meter("denoiser_ws_retries") > retriesBefore, "OVERLOADED frames were held and retried");
  }
}
