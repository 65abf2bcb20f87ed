package dev.denoiser.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.error.DenoiserException;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The binary layouts of /v1/stream and the origin rule, without a server. */
class StreamWireTest {
  @Test
  void replyRoundTripsWithLatentIdAndAlignedPayload() {
    float[] latent = {0.5f, -1.25f, 3f};
    byte[] payload = {9, 8, 7, 6, 5};
    StreamReply r =
        new StreamReply(
            4_000_000_000L,
            17,
            28,
            14,
            20251128L,
            120,
            800,
            1500,
            12,
            latent,
            "cam-7/frame-9",
            payload);
    Buffer b = r.encode();
    assertEquals('D', b.getByte(0));
    assertEquals(
        0, b.getUnsignedShortLE(4) % 4, "the frame starts 4-byte aligned (Float32Array-friendly)");
    StreamReply back = StreamReply.parse(b);
    assertEquals(r.seq(), back.seq());
    assertEquals(17, back.dropped());
    assertEquals(28, back.width());
    assertEquals(14, back.height());
    assertEquals(20251128L, back.modelVersion());
    assertEquals(800, back.computeMicros());
    assertEquals(12, back.batchSize());
    assertArrayEquals(latent, back.latent());
    assertEquals("cam-7/frame-9", back.frameId());
    assertArrayEquals(payload, back.payload());
  }

  @Test
  void replyWithoutLatentOrIdStartsItsFrameAfterTheHeader() {
    Buffer b = new StreamReply(0, 0, 1, 1, 1, 0, 0, 0, 1, null, null, new byte[] {42}).encode();
    assertEquals(StreamReply.HEADER_BYTES + 1, b.length());
    StreamReply back = StreamReply.parse(b);
    assertNull(back.latent());
    assertNull(back.frameId());
    assertThrows(
        IllegalArgumentException.class, () -> StreamReply.parse(Buffer.buffer("not a reply")));
  }

  @Test
  void frameIdHeaderSplitsAndRefusesShortMessages() {
    FrameIdHeader.Split s =
        FrameIdHeader.split(FrameIdHeader.join("é-1", new byte[] {1, 2, 3}), true);
    assertEquals("é-1", s.frameId());
    assertArrayEquals(new byte[] {1, 2, 3}, s.frame());
    assertNull(FrameIdHeader.split(FrameIdHeader.join(null, new byte[] {4}), true).frameId());
    assertArrayEquals(
        new byte[] {5, 6}, FrameIdHeader.split(Buffer.buffer(new byte[] {5, 6}), false).frame());
    assertThrows(DenoiserException.class, () -> FrameIdHeader.split(Buffer.buffer(), true));
    assertThrows(
        DenoiserException.class, () -> FrameIdHeader.split(Buffer.buffer(new byte[] {9, 1}), true));
    assertThrows(
        IllegalArgumentException.class, () -> FrameIdHeader.join("x".repeat(256), new byte[0]));
  }

  @Test
  void originsPassWhenAbsentListedPublicOrLoopbackNeverByHost() {
    OriginPolicy p =
        new OriginPolicy(
            " https://Dash.example.com/ , http://lan-box:3000", "https://denoiser.example.com/ui/");
    assertTrue(p.allows(null), "no Origin: not a browser");
    assertTrue(p.allows("https://dash.example.com"));
    assertTrue(p.allows("https://DASH.example.com:443/"), "default port and case do not matter");
    assertTrue(p.allows("http://lan-box:3000"));
    assertTrue(p.allows("https://denoiser.example.com"), "the origin of http.publicUrl");
    assertTrue(p.allows("http://localhost:8080"), "loopback page");
    assertTrue(p.allows("http://127.0.0.1:9999"));
    assertTrue(p.allows("http://[::1]:8080"));
    assertFalse(p.allows("http://evil.example"));
    assertFalse(
        p.allows("http://svc:8080"), "the Host header no longer admits an origin (DNS rebinding)");
    assertFalse(p.allows("http://localhost.evil.example"));
    assertFalse(p.allows("http://127.0.0.1.evil.example"));
    assertFalse(p.allows("null"));
    assertTrue(new OriginPolicy("*", "").allows("http://evil.example"));
    assertFalse(new OriginPolicy("", "").allows("http://evil.example"));
  }

  @Test
  void closeReasonsFitInAControlFrame() {
    String r = Closer.truncate("é".repeat(200));
    assertTrue(r.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 123);
    assertEquals("short", Closer.truncate("short"));
  }
}
