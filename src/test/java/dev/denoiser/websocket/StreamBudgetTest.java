package dev.denoiser.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.SampleDigits;
import dev.denoiser.source.MemoryBudget;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebSocket frames over the shared byte budget are answered OVERLOADED; the connection goes on. */
class StreamBudgetTest {
  static final String RAW = "format=gray8&width=28&height=28&ids=true";
  private static final long BUDGET = 1L << 20;
  @TempDir static Path models;
  static ServiceHarness svc;
  static ImageSet digits;

  @BeforeAll
  static void start() throws Exception {
    TestModels.write(models, "conv-upsample", 1, 5);
    digits = SampleDigits.load();
    svc = ServiceHarness.start(models, new JsonObject().put("memory.inflightBytes", BUDGET));
  }

  @AfterAll
  static void stop() throws Exception {
    svc.close();
  }

  @Test
  void overTheBudgetAFrameGetsOverloadedAndTheNextOneRuns() throws Exception {
    MemoryBudget budget = svc.svc().budget();
    try (WsTestClient c = WsTestClient.connect(svc.vertx, svc.port(), "mode=lossless&" + RAW)) {
      c.send(FrameIdHeader.join("a", digits.gray8(0)));
      assertEquals("a", c.nextReply().frameId());
      MemoryBudget.Lease hog = budget.tryAcquire("http", BUDGET);
      try {
        c.send(FrameIdHeader.join("b", digits.gray8(1)));
        JsonObject err = c.nextError();
        assertEquals("OVERLOADED", err.getString("code"), err.encode());
        assertEquals(1, err.getLong("seq"));
      } finally {
        hog.close();
      }
      c.send(FrameIdHeader.join("c", digits.gray8(2)));
      StreamReply r = c.nextReply();
      assertEquals("c", r.frameId());
      assertEquals(2, r.seq());
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> budget.used() == 0);
    var refusals =
        svc.metered
            .registry()
            .find("denoiser_memory_refusals")
            .tag("source", "websocket")
            .counter();
    assertTrue(refusals != null && refusals.count() >= 1);
  }

  @Test
  void manyFramesGiveAllTheirBytesBack() throws Exception {
    try (WsTestClient c =
        WsTestClient.connect(svc.vertx, svc.port(), "mode=lossless&window=8&" + RAW)) {
      int n = 100;
      for (int i = 0; i < n; i++) {
        c.send(FrameIdHeader.join("f" + i, digits.gray8(i)));
      }
      int replies = 0;
      int overloaded = 0;
      for (int i = 0; i < n; i++) {
        Object o = c.next();
        if (o instanceof StreamReply) {
          replies++;
        } else {
          assertEquals("OVERLOADED", ((JsonObject) o).getString("code"));
          overloaded++;
        }
      }
      assertEquals(n, replies + overloaded);
      assertTrue(replies > 0);
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> svc.svc().budget().used() == 0);
  }
}
