package dev.denoiser.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.SampleDigits;
import dev.denoiser.frame.Frame;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.frame.MediaType;
import dev.denoiser.model.ModelCard;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestModels;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /v1/stream protocol over a real socket, against real ONNX Runtime sessions. */
class StreamProtocolTest {
  static final String TOKEN = "s3cret";
  static final String RAW = "format=gray8&width=28&height=28&access_token=" + TOKEN;
  @TempDir static Path models;
  static ServiceHarness svc;
  static byte[] onnx;
  static ImageSet digits;

  @BeforeAll
  static void start() throws Exception {
    TestModels.write(models, "dyn", 3, 21);
    TestModels.write(models, "fixed", 1, 22, 28, 28, 2);
    onnx = Files.readAllBytes(models.resolve("dyn").resolve(ModelCard.MODEL_FILE));
    digits = SampleDigits.load();
    svc = ServiceHarness.start(models, new JsonObject().put("models.default", "dyn").put("auth.token", TOKEN)
        .put("stream.allowedOrigins", "http://allowed.example").put("stream.maxMessageBytes", 100_000));
  }

  @AfterAll
  static void stop() throws Exception {
    svc.close();
  }

  WsTestClient connect(String query, String... headers) throws Exception {
    return WsTestClient.connect(svc.vertx, svc.port(), query, headers);
  }

  @Test
  void losslessRepliesComeInRequestOrderWithIdsLatentVersionAndDenoisedPixels() throws Exception {
    int n = 100;
    try (WsTestClient c = connect("mode=lossless&latent=true&ids=true&" + RAW)) {
      for (int i = 0; i < n; i++) {
        c.send(FrameIdHeader.join("digit-" + i, digits.gray8(i)));
      }
      for (int i = 0; i < n; i++) {
        StreamReply r = c.nextReply();
        assertEquals(i, r.seq());
        assertEquals("digit-" + i, r.frameId());
        assertEquals(3, r.modelVersion());
        assertEquals(4, r.latent().length);
        assertEquals(0, r.dropped());
        assertEquals(28, r.width());
        assertTrue(r.batchSize() >= 1);
        float[] expected = TestModels.reference(onnx, digits.image(i), 28, 28);
        byte[] got = r.payload();
        assertEquals(784, got.length);
        for (int p = 0; p < got.length; p++) {
          assertTrue(Math.abs(Math.round(expected[p] * 255) - (got[p] & 0xff)) <= 1, "pixel " + p + " of frame " + i);
        }
      }
    }
  }

  @Test
  void badFramesAreAnsweredWithErrorsInOrderAndTheConnectionStaysOpen() throws Exception {
    byte[] png = FrameCodec.encode(new Frame(digits.image(0), 28, 28), MediaType.PNG);
    try (WsTestClient c = connect("model=fixed&ids=true&access_token=" + TOKEN)) {
      c.send(FrameIdHeader.join("good-0", png));
      c.send(FrameIdHeader.join("junk", new byte[] {1, 2, 3, 4, 5}));
      c.send(Buffer.buffer().appendUnsignedByte((short) 40).appendString("short"));
      c.send(FrameIdHeader.join("wrong-shape", FrameCodec.encode(new Frame(new float[16 * 16], 16, 16), MediaType.PNG)));
      c.send(FrameIdHeader.join("good-4", png));
      assertEquals("good-0", c.nextReply().frameId());
      JsonObject junk = c.nextError();
      assertEquals(1, junk.getLong("seq"));
      assertEquals("INVALID_FRAME", junk.getString("code"));
      assertEquals("junk", junk.getString("frameId"));
      assertTrue(junk.getString("message").contains("PNG"), junk.encode());
      JsonObject shortHeader = c.nextError();
      assertEquals(2, shortHeader.getLong("seq"));
      assertEquals("INVALID_FRAME", shortHeader.getString("code"));
      JsonObject shape = c.nextError();
      assertEquals(3, shape.getLong("seq"));
      assertEquals("UNSUPPORTED_SHAPE", shape.getString("code"));
      StreamReply last = c.nextReply();
      assertEquals(4, last.seq());
      assertEquals("good-4", last.frameId());
      assertNull(last.latent(), "latent only when asked for");
      assertFalse(c.closeCode.isDone(), "the connection stays open");
      Frame out = new FrameCodec(1 << 20).decode(MediaType.PNG, last.payload(), null, null, null, null);
      assertEquals(28, out.height(), "replies are in the connection's format (PNG)");
    }
  }

  @Test
  void messageInThreeWebSocketFramesIsOneImage() throws Exception {
    int h = 136;
    int w = 136;
    float[] px = new float[h * w];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i % 97) / 96f;
    }
    byte[] bytes = FrameCodec.toFloat32(px);
    assertTrue(bytes.length > 70_000 && bytes.length < 100_000, "under the limit");
    try (WsTestClient c = connect("format=float32&width=" + w + "&height=" + h + "&access_token=" + TOKEN)) {
      Buffer all = Buffer.buffer(bytes);
      c.ws.writeFrame(WebSocketFrame.binaryFrame(all.slice(0, 40_000), false));
      c.ws.writeFrame(WebSocketFrame.continuationFrame(all.slice(40_000, 70_000), false));
      c.ws.writeFrame(WebSocketFrame.continuationFrame(all.slice(70_000, all.length()), true));
      StreamReply r = c.nextReply();
      assertEquals(h, r.height());
      assertEquals(4 * h * w, r.payload().length);
      float[] expected = TestModels.reference(onnx, px, h, w);
      java.nio.FloatBuffer got = java.nio.ByteBuffer.wrap(r.payload()).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      for (int i = 0; i < expected.length; i += 101) {
        assertEquals(expected[i], got.get(i), 1e-4, "pixel " + i);
      }
    }
  }

  @Test
  void metricsAreOnTheSharedRegistry() throws Exception {
    try (WsTestClient c = connect(RAW)) {
      c.send(digits.gray8(5));
      c.send(new byte[3]);
      c.nextReply();
      c.nextError();
    }
    String scrape = svc.metered.registry().scrape();
    for (String name : new String[] {"denoiser_ws_connections ", "denoiser_ws_connections_opened_total",
        "denoiser_ws_frames_in_total{mode=\"live\"}", "denoiser_ws_frames_out_total{mode=\"live\"}",
        "denoiser_ws_errors_total{code=\"INVALID_FRAME\"}", "denoiser_frames_rejected_total{code=\"INVALID_FRAME\",source=\"websocket\"}"}) {
      assertTrue(scrape.contains(name), name + " in\n" + scrape.lines().filter(l -> l.contains("_ws_")).toList());
    }
  }

  @Test
  void oversizedMessageClosesWith1009() throws Exception {
    try (WsTestClient c = connect(RAW)) {
      c.send(new byte[150_000]);
      assertEquals(1009, c.awaitClose());
    }
  }

  @Test
  void textMessageIsAProtocolViolation1008() throws Exception {
    try (WsTestClient c = connect(RAW)) {
      c.ws.writeTextMessage("{\"hello\":1}");
      assertEquals(1008, c.awaitClose());
    }
  }

  @Test
  void badQueryParametersCloseWith1008AfterAnErrorText() throws Exception {
    String[][] cases = {
        {"mode=bogus&" + RAW, "BAD_REQUEST"},
        {"model=nope&" + RAW, "MODEL_NOT_FOUND"},
        {"format=gray8&access_token=" + TOKEN, "BAD_REQUEST"},
        {"window=100000&" + RAW, "BAD_REQUEST"},
        {"mdoe=lossless&" + RAW, "BAD_REQUEST"},
        {"model=fixed&format=gray8&width=32&height=32&access_token=" + TOKEN, "UNSUPPORTED_SHAPE"},
    };
    for (String[] k : cases) {
      try (WsTestClient c = connect(k[0])) {
        JsonObject e = c.nextError();
        assertEquals(k[1], e.getString("code"), k[0]);
        assertNull(e.getValue("seq"));
        assertEquals(1008, c.awaitClose(), k[0]);
      }
    }
  }

  @Test
  void tokenIsRequiredAsHeaderOrQueryParameter() throws Exception {
    UpgradeRejectedException e = WsTestClient.refused(svc.vertx, svc.port(), "format=png");
    assertEquals(401, e.getStatus());
    assertEquals("UNAUTHORIZED", new JsonObject(e.getBody()).getString("code"));
    assertEquals(401, WsTestClient.refused(svc.vertx, svc.port(), "access_token=wrong").getStatus());
    try (WsTestClient c = connect("format=png", "Authorization", "Bearer " + TOKEN)) {
      c.send(FrameCodec.encode(new Frame(digits.image(1), 28, 28), MediaType.PNG));
      assertEquals(0, c.nextReply().seq());
    }
  }

  @Test
  void browserOriginsMustBeAllowedOrSameOrigin() throws Exception {
    UpgradeRejectedException e = WsTestClient.refused(svc.vertx, svc.port(), RAW, "Origin", "http://evil.example");
    assertEquals(403, e.getStatus());
    assertEquals("FORBIDDEN", new JsonObject(e.getBody()).getString("code"));
    String same = "http://127.0.0.1:" + svc.port();
    for (String origin : new String[] {"http://allowed.example", same}) {
      try (WsTestClient c = connect(RAW, "Origin", origin)) {
        c.send(digits.gray8(2));
        assertEquals(0, c.nextReply().seq(), origin);
      }
    }
  }
}
