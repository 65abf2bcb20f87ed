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
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The /v1/stream protocol over a real socket, against real ONNX Runtime sessions. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class StreamProtocolTest {
  static final String TOKEN = "s3cret";
  static final String RAW = "format=gray8&width=28&height=28&access_token=" + TOKEN;
  @TempDir static Path models;
  static ServiceHarness svc;
  static byte[] onnx;
  static ImageSet digits;

  @BeforeAll
  static void start(VertxTestContext ctx) throws Exception {
    TestModels.write(models, "dyn", 3, 21);
    TestModels.write(models, "fixed", 1, 22, 28, 28, 2);
    onnx = Files.readAllBytes(models.resolve("dyn").resolve(ModelCard.MODEL_FILE));
    digits = SampleDigits.load();
    ServiceHarness.deploy(
            models,
            new JsonObject()
                .put("models.default", "dyn")
                .put("auth.token", TOKEN)
                .put("stream.allowedOrigins", "http://allowed.example")
                .put("stream.maxMessageBytes", 100_000))
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

  Future<WsTestClient> connect(String query, String... headers) {
    return WsTestClient.open(svc.vertx, svc.port(), query, headers);
  }

  Future<io.vertx.core.http.UpgradeRejectedException> refusal(String query, String... headers) {
    return WsTestClient.refusal(svc.vertx, svc.port(), query, headers);
  }

  @Test
  void losslessRepliesComeInRequestOrderWithIdsLatentVersionAndDenoisedPixels(
      VertxTestContext ctx) {
    int n = 100;
    Checkpoint answered = ctx.checkpoint(n);
    AtomicInteger next = new AtomicInteger();
    connect("mode=lossless&latent=true&ids=true&" + RAW)
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
                                assertEquals("digit-" + i, r.frameId());
                                assertEquals(3, r.modelVersion());
                                assertEquals(4, r.latent().length);
                                assertEquals(0, r.dropped());
                                assertEquals(28, r.width());
                                assertTrue(r.batchSize() >= 1);
                                float[] expected =
                                    TestModels.reference(onnx, digits.image(i), 28, 28);
                                byte[] got = r.payload();
                                assertEquals(784, got.length);
                                for (int p = 0; p < got.length; p++) {
                                  assertTrue(
                                      Math.abs(Math.round(expected[p] * 255) - (got[p] & 0xff))
                                          <= 1,
                                      "pixel " + p + " of frame " + i);
                                }
                                if (i == n - 1) {
                                  c.shut().onComplete(ctx.succeeding(v -> answered.flag()));
                                } else {
                                  answered.flag();
                                }
                              }));
                  for (int i = 0; i < n; i++) {
                    c.send(FrameIdHeader.join("digit-" + i, digits.gray8(i)));
                  }
                }));
  }

  @Test
  void badFramesAreAnsweredWithErrorsInOrderAndTheConnectionStaysOpen(VertxTestContext ctx) {
    byte[] png = FrameCodec.encode(new Frame(digits.image(0), 28, 28), MediaType.PNG);
    AtomicInteger next = new AtomicInteger();
    connect("model=fixed&ids=true&access_token=" + TOKEN)
        .onComplete(
            ctx.succeeding(
                c -> {
                  c.handler(
                      o ->
                          ctx.verify(
                              () -> {
                                switch (next.getAndIncrement()) {
                                  case 0 -> assertEquals("good-0", WsTestClient.reply(o).frameId());
                                  case 1 -> {
                                    JsonObject junk = WsTestClient.error(o);
                                    assertEquals(1, junk.getLong("seq"));
                                    assertEquals("INVALID_FRAME", junk.getString("code"));
                                    assertEquals("junk", junk.getString("frameId"));
                                    assertTrue(
                                        junk.getString("message").contains("PNG"), junk.encode());
                                  }
                                  case 2 -> {
                                    JsonObject shortHeader = WsTestClient.error(o);
                                    assertEquals(2, shortHeader.getLong("seq"));
                                    assertEquals("INVALID_FRAME", shortHeader.getString("code"));
                                  }
                                  case 3 -> {
                                    JsonObject shape = WsTestClient.error(o);
                                    assertEquals(3, shape.getLong("seq"));
                                    assertEquals("UNSUPPORTED_SHAPE", shape.getString("code"));
                                  }
                                  case 4 -> {
                                    StreamReply last = WsTestClient.reply(o);
                                    assertEquals(4, last.seq());
                                    assertEquals("good-4", last.frameId());
                                    assertNull(last.latent(), "latent only when asked for");
                                    assertFalse(
                                        c.closed().isComplete(), "the connection stays open");
                                    Frame out =
                                        new FrameCodec(1 << 20)
                                            .decode(
                                                MediaType.PNG,
                                                last.payload(),
                                                null,
                                                null,
                                                null,
                                                null);
                                    assertEquals(
                                        28,
                                        out.height(),
                                        "replies are in the connection's format (PNG)");
                                    c.shut().onComplete(ctx.succeedingThenComplete());
                                  }
                                  default -> ctx.failNow("more messages than frames sent: " + o);
                                }
                              }));
                  c.send(FrameIdHeader.join("good-0", png));
                  c.send(FrameIdHeader.join("junk", new byte[] {1, 2, 3, 4, 5}));
                  c.send(Buffer.buffer().appendUnsignedByte((short) 40).appendString("short"));
                  c.send(
                      FrameIdHeader.join(
                          "wrong-shape",
                          FrameCodec.encode(new Frame(new float[16 * 16], 16, 16), MediaType.PNG)));
                  c.send(FrameIdHeader.join("good-4", png));
                }));
  }

  @Test
  void messageInThreeWebSocketFramesIsOneImage(VertxTestContext ctx) {
    int h = 136;
    int w = 136;
    float[] px = new float[h * w];
    for (int i = 0; i < px.length; i++) {
      px[i] = (i % 97) / 96f;
    }
    byte[] bytes = FrameCodec.toFloat32(px);
    assertTrue(bytes.length > 70_000 && bytes.length < 100_000, "under the limit");
    connect("format=float32&width=" + w + "&height=" + h + "&access_token=" + TOKEN)
        .onComplete(
            ctx.succeeding(
                c -> {
                  c.handler(
                      o ->
                          ctx.verify(
                              () -> {
                                StreamReply r = WsTestClient.reply(o);
                                assertEquals(h, r.height());
                                assertEquals(4 * h * w, r.payload().length);
                                float[] expected = TestModels.reference(onnx, px, h, w);
                                java.nio.FloatBuffer got =
                                    java.nio.ByteBuffer.wrap(r.payload())
                                        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                                        .asFloatBuffer();
                                for (int i = 0; i < expected.length; i += 101) {
                                  assertEquals(expected[i], got.get(i), 1e-4, "pixel " + i);
                                }
                                c.shut().onComplete(ctx.succeedingThenComplete());
                              }));
                  Buffer all = Buffer.buffer(bytes);
                  c.ws.writeFrame(WebSocketFrame.binaryFrame(all.slice(0, 40_000), false));
                  c.ws.writeFrame(
                      WebSocketFrame.continuationFrame(all.slice(40_000, 70_000), false));
                  c.ws.writeFrame(
                      WebSocketFrame.continuationFrame(all.slice(70_000, all.length()), true));
                }));
  }

  @Test
  void metricsAreOnTheSharedRegistry(VertxTestContext ctx) {
    AtomicInteger next = new AtomicInteger();
    connect(RAW)
        .onComplete(
            ctx.succeeding(
                c -> {
                  c.handler(
                      o ->
                          ctx.verify(
                              () -> {
                                if (next.getAndIncrement() == 0) {
                                  WsTestClient.reply(o);
                                  return;
                                }
                                WsTestClient.error(o);
                                c.shut()
                                    .onComplete(
                                        ctx.succeeding(
                                            v ->
                                                ctx.verify(
                                                    () -> {
                                                      String scrape =
                                                          svc.metered.registry().scrape();
                                                      for (String name :
                                                          new String[] {
                                                            "denoiser_ws_connections ",
                                                            "denoiser_ws_connections_opened_total",
                                                            "denoiser_ws_frames_in_total{mode=\"live\"}",
                                                            "denoiser_ws_frames_out_total{mode=\"live\"}",
                                                            "denoiser_ws_errors_total{code=\"INVALID_FRAME\"}",
                                                            "denoiser_frames_rejected_total{code=\"INVALID_FRAME\",source=\"websocket\"}"
                                                          }) {
                                                        assertTrue(
                                                            scrape.contains(name),
                                                            name
                                                                + " in\n"
                                                                + scrape
                                                                    .lines()
                                                                    .filter(l -> l.contains("_ws_"))
                                                                    .toList());
                                                      }
                                                      ctx.completeNow();
                                                    })));
                              }));
                  c.send(digits.gray8(5));
                  c.send(new byte[3]);
                }));
  }

  /**
   * Opens a connection, lets {@code act} write to it, and expects the server to close it with
   * {@code code}.
   */
  void expectClose(
      VertxTestContext ctx, String query, int code, java.util.function.Consumer<WsTestClient> act) {
    connect(query)
        .onComplete(
            ctx.succeeding(
                c -> {
                  c.closed()
                      .onComplete(
                          ctx.succeeding(
                              got ->
                                  ctx.verify(
                                      () -> {
                                        assertEquals(code, (int) got);
                                        c.shut().onComplete(ctx.succeedingThenComplete());
                                      })));
                  act.accept(c);
                }));
  }

  @Test
  void oversizedMessageClosesWith1009(VertxTestContext ctx) {
    expectClose(ctx, RAW, 1009, c -> c.send(new byte[150_000]));
  }

  @Test
  void textMessageIsAProtocolViolation1008(VertxTestContext ctx) {
    expectClose(ctx, RAW, 1008, c -> c.ws.writeTextMessage("{\"hello\":1}"));
  }

  @Test
  void badQueryParametersCloseWith1008AfterAnErrorText(VertxTestContext ctx) {
    String[][] cases = {
      {"mode=bogus&" + RAW, "BAD_REQUEST"},
      {"model=nope&" + RAW, "MODEL_NOT_FOUND"},
      {"format=gray8&access_token=" + TOKEN, "BAD_REQUEST"},
      {"window=100000&" + RAW, "BAD_REQUEST"},
      {"mdoe=lossless&" + RAW, "BAD_REQUEST"},
      {"model=fixed&format=gray8&width=32&height=32&access_token=" + TOKEN, "UNSUPPORTED_SHAPE"},
    };
    Checkpoint closed = ctx.checkpoint(cases.length);
    for (String[] k : cases) {
      connect(k[0])
          .onComplete(
              ctx.succeeding(
                  c -> {
                    Checkpoint errorText = ctx.checkpoint();
                    c.handler(
                        o ->
                            ctx.verify(
                                () -> {
                                  JsonObject e = WsTestClient.error(o);
                                  assertEquals(k[1], e.getString("code"), k[0]);
                                  assertNull(e.getValue("seq"));
                                  errorText.flag();
                                }));
                    c.closed()
                        .onComplete(
                            ctx.succeeding(
                                code ->
                                    ctx.verify(
                                        () -> {
                                          assertEquals(1008, (int) code, k[0]);
                                          c.shut().onComplete(ctx.succeeding(v -> closed.flag()));
                                        })));
                  }));
    }
  }

  @Test
  void tokenIsRequiredAsHeaderOrQueryParameter(VertxTestContext ctx) {
    Checkpoint done = ctx.checkpoint(3);
    refusal("format=png")
        .onComplete(
            ctx.succeeding(
                e ->
                    ctx.verify(
                        () -> {
                          assertEquals(401, e.getStatus());
                          assertEquals(
                              "UNAUTHORIZED", new JsonObject(e.getBody()).getString("code"));
                          done.flag();
                        })));
    refusal("access_token=wrong")
        .onComplete(
            ctx.succeeding(
                e ->
                    ctx.verify(
                        () -> {
                          assertEquals(401, e.getStatus());
                          done.flag();
                        })));
    connect("format=png", "Authorization", "Bearer " + TOKEN)
        .onComplete(
            ctx.succeeding(
                c -> {
                  c.handler(
                      o ->
                          ctx.verify(
                              () -> {
                                assertEquals(0, WsTestClient.reply(o).seq());
                                c.shut().onComplete(ctx.succeeding(v -> done.flag()));
                              }));
                  c.send(FrameCodec.encode(new Frame(digits.image(1), 28, 28), MediaType.PNG));
                }));
  }

  @Test
  void browserOriginsMustBeAllowedOrSameOrigin(VertxTestContext ctx) {
    Checkpoint done = ctx.checkpoint(3);
    refusal(RAW, "Origin", "http://evil.example")
        .onComplete(
            ctx.succeeding(
                e ->
                    ctx.verify(
                        () -> {
                          assertEquals(403, e.getStatus());
                          assertEquals("FORBIDDEN", new JsonObject(e.getBody()).getString("code"));
                          done.flag();
                        })));
    String same = "http://127.0.0.1:" + svc.port();
    for (String origin : new String[] {"http://allowed.example", same}) {
      connect(RAW, "Origin", origin)
          .onComplete(
              ctx.succeeding(
                  c -> {
                    c.handler(
                        o ->
                            ctx.verify(
                                () -> {
                                  assertEquals(0, WsTestClient.reply(o).seq(), origin);
                                  c.shut().onComplete(ctx.succeeding(v -> done.flag()));
                                }));
                    c.send(digits.gray8(2));
                  }));
    }
  }
}
