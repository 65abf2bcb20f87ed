package dev.denoiser.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.frame.MediaType;
import dev.denoiser.testing.Pngs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-flight byte budget and the cost of a frame known before it is decoded. */
class MemoryBudgetTest {
  @Test
  void leasesTakeAndGiveBackBytesAcrossSources() {
    SimpleMeterRegistry reg = new SimpleMeterRegistry();
    MemoryBudget b = new MemoryBudget(1000, Map.of(), reg);
    MemoryBudget.Lease a = b.tryAcquire("http", 600);
    assertNotNull(a);
    assertNull(b.tryAcquire("websocket", 500), "600 + 500 is over 1000");
    MemoryBudget.Lease c = b.tryAcquire("websocket", 400);
    assertNotNull(c);
    assertEquals(1000, b.used());
    assertEquals(600, reg.get("denoiser_inflight_bytes").tag("source", "http").gauge().value());
    a.close();
    a.close(); // a second close gives nothing back twice
    assertEquals(400, b.used());
    c.close();
    assertEquals(0, b.used());
    assertEquals(
        1.0, reg.get("denoiser_memory_refusals").tag("source", "websocket").counter().count());
  }

  @Test
  void aSourceHoldsAtMostItsShareSoTheOthersFindRoom() {
    MemoryBudget b = new MemoryBudget(1000, MemoryBudget.parseShares("kafka=0.5"), null);
    assertNotNull(b.tryAcquire("kafka", 300));
    assertNotNull(b.tryAcquire("kafka", 200));
    assertNull(b.tryAcquire("kafka", 1), "kafka is at its half");
    assertNotNull(b.tryAcquire("http", 500), "the other half is there for http");
    DenoiserException e = assertThrows(DenoiserException.class, () -> b.acquire("http", 1));
    assertEquals(ErrorCode.OVERLOADED, e.code());
    assertTrue(e.getMessage().contains("memory.inflightBytes"), e.getMessage());
  }

  @Test
  void aFrameLargerThanTheBudgetRunsAloneNotNever() {
    MemoryBudget b = new MemoryBudget(1000, Map.of(), null);
    MemoryBudget.Lease big = b.tryAcquire("http", 5000);
    assertNotNull(big, "nothing else in flight: the large frame is taken");
    assertNull(b.tryAcquire("http", 1), "and nothing else while it runs");
    big.close();
    MemoryBudget.Lease body = b.tryAcquire("http", 100);
    assertTrue(body.grow(4000), "a body lease alone may grow past the budget");
    MemoryBudget.Lease other = null;
    body.close();
    MemoryBudget.Lease first = b.tryAcquire("http", 100);
    other = b.tryAcquire("http", 100);
    assertFalse(first.grow(900), "with another frame in flight it may not");
    assertEquals(200, b.used());
    first.close();
    other.close();
    assertEquals(0, b.used());
  }

  @Test
  void sharesAndDefaultsParse() {
    assertEquals(
        Map.of("kafka", 0.5, "http", 1.0), MemoryBudget.parseShares(" kafka=0.5 , HTTP=1"));
    assertThrows(IllegalArgumentException.class, () -> MemoryBudget.parseShares("kafka=2"));
    assertThrows(IllegalArgumentException.class, () -> MemoryBudget.parseShares("kafka"));
    MemoryBudget d = MemoryBudget.from(Settings.defaultsOnly(), null);
    assertEquals((long) (Runtime.getRuntime().maxMemory() * 0.25), d.capacity());
    assertEquals(d.capacity() / 2, d.limit("kafka"));
    assertEquals(
        123,
        MemoryBudget.from(Settings.defaultsOnly().with(Setting.MEMORY_INFLIGHT_BYTES, 123), null)
            .capacity());
  }

  @Test
  void theCostOfAPngComesFromItsHeaderBeforeDecoding() {
    FrameCodec codec = new FrameCodec(4096L * 4096);
    byte[] bomb = png(4096, 4096, 16, 6);
    long cost = FrameCost.estimate(codec, MediaType.PNG, bomb, null, null);
    long px = 4096L * 4096;
    // 16-bit RGBA raster (8 B) + conversion (4 B) + RGB float planes in and out (24 B)
    assertEquals(bomb.length + px * (8 + 4 + 24), cost);
    long gray = FrameCost.estimate(codec, MediaType.GRAY8, new byte[28 * 28], 28, 28);
    assertEquals(28 * 28 + 28 * 28 * (1 + 8), gray);
  }

  @Test
  void sizesThatOverflowIntAreRefusedNotWrapped() {
    FrameCodec codec = new FrameCodec(8_294_400);
    byte[] huge = png(0xFFFFFFFF, 0xFFFFFFFF, 8, 0);
    DenoiserException e =
        assertThrows(
            DenoiserException.class,
            () -> FrameCost.estimate(codec, MediaType.PNG, huge, null, null));
    assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, e.code());
    DenoiserException d =
        assertThrows(
            DenoiserException.class,
            () -> codec.decode(MediaType.PNG, huge, null, null, null, null));
    assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, d.code());
    // 65536 x 65536 is 2^32 pixels: an int product would be 0
    DenoiserException r =
        assertThrows(
            DenoiserException.class,
            () -> FrameCost.estimate(codec, MediaType.GRAY8, new byte[1], 65536, 65536));
    assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, r.code());
    assertEquals(
        ErrorCode.PAYLOAD_TOO_LARGE,
        assertThrows(DenoiserException.class, () -> codec.checkSize(3_000_000_000L, 3_000_000_000L))
            .code());
  }

  static byte[] png(int width, int height, int depth, int colour) {
    return Pngs.declaring(width, height, depth, colour, false);
  }
}
