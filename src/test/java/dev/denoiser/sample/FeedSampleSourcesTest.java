package dev.denoiser.sample;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestKafka;
import dev.denoiser.testing.TestModels;
import dev.denoiser.websocket.StreamEndpoint;
import dev.denoiser.websocket.StreamReply;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service with the Kafka role on the test broker: a frame from each source (HTTP /v1,
 * KServe /v2, WebSocket, Kafka) reaches the feed sample of its model, and its reply carries the
 * input's noise estimate (header, KServe parameter, stream reply, Kafka header), which the {@code
 * denoiser_noise_sigma} distribution also counts. A model not named is not sampled.
 */
@Tag("slow")
class FeedSampleSourcesTest {
  static final int H = 48;
  static final int W = 64;
  static final double SIGMA = 20;
  @TempDir static Path models;
  static ServiceHarness svc;
  static WebClient http;
  static JsonObject kafka;

  @BeforeAll
  static void start() throws Exception {
    TestModels.write(models, "dyn", 1, 3);
    TestModels.write(models, "other", 1, 4);
    kafka =
        TestKafka.names("feedsample")
            .put(Setting.KAFKA_DEMO_ENABLED.key(), "false")
            .put(Setting.KAFKA_TOPIC_MODELS.key(), "");
    svc =
        ServiceHarness.start(
            models,
            kafka
                .copy()
                .put(Setting.MODELS_DEFAULT.key(), "dyn")
                .put(Setting.FEED_SAMPLE_MODELS.key(), "dyn")
                .put(Setting.FEED_SAMPLE_MAX_FRAMES.key(), 50));
    http =
        WebClient.create(
            svc.vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(svc.port()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (svc != null) {
      svc.close();
    }
  }

  /** A smooth gray8 frame with Gaussian noise of {@link #SIGMA}. */
  static byte[] gray8(long seed) {
    Random rnd = new Random(seed);
    byte[] b = new byte[H * W];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        double v = 90 + 60.0 * x / W + 20 * Math.sin(y / 9.0) + rnd.nextGaussian() * SIGMA;
        b[y * W + x] = (byte) Math.max(0, Math.min(255, Math.round(v)));
      }
    }
    return b;
  }

  static FeedSample sample() {
    return svc.service.feedSample();
  }

  static void assertSigma(double got, String where) {
    assertEquals(SIGMA, got, 5, where + " noise sigma " + got);
  }

  @Test
  void httpRepliesCarryTheNoiseAndTheFrameIsSampled() throws Exception {
    long before = sample().seen("dyn");
    HttpResponse<Buffer> r =
        ServiceHarness.await(
            http.post("/v1/models/dyn/denoise?width=" + W + "&height=" + H)
                .putHeader("Content-Type", "application/x-gray8")
                .sendBuffer(Buffer.buffer(gray8(1))));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertSigma(Double.parseDouble(r.getHeader("X-Noise-Sigma")), "HTTP");
    assertEquals(before + 1, sample().seen("dyn"));
    assertTrue(sample().frames("dyn") >= 1);
  }

  @Test
  void kserveOutputsCarryTheNoise() throws Exception {
    long before = sample().seen("dyn");
    JsonArray data = new JsonArray();
    byte[] px = gray8(2);
    for (byte b : px) {
      data.add((b & 0xff) / 255.0);
    }
    JsonObject req =
        new JsonObject()
            .put(
                "inputs",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("name", "noisy")
                            .put("datatype", "FP32")
                            .put("shape", new JsonArray().add(1).add(1).add(H).add(W))
                            .put("data", data)));
    HttpResponse<Buffer> r =
        ServiceHarness.await(http.post("/v2/models/dyn/infer").sendJsonObject(req));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject out = r.bodyAsJsonObject().getJsonArray("outputs").getJsonObject(0);
    assertSigma(
        Double.parseDouble(out.getJsonObject("parameters").getString("noise_sigma")), "KServe");
    assertSigma(Double.parseDouble(r.getHeader("X-Noise-Sigma")), "KServe header");
    assertEquals(before + 1, sample().seen("dyn"));
  }

  @Test
  void websocketRepliesCarryTheNoise() throws Exception {
    long before = sample().seen("dyn");
    WebSocketClient client = svc.vertx.createWebSocketClient();
    try {
      WebSocket ws =
          ServiceHarness.await(
              client.connect(
                  new WebSocketConnectOptions()
                      .setHost("127.0.0.1")
                      .setPort(svc.port())
                      .setURI(
                          StreamEndpoint.PATH
                              + "?model=dyn&format=gray8&width="
                              + W
                              + "&height="
                              + H)));
      CompletableFuture<Object> reply = new CompletableFuture<>();
      ws.binaryMessageHandler(b -> reply.complete(StreamReply.parse(b)));
      ws.textMessageHandler(reply::complete);
      ws.writeBinaryMessage(Buffer.buffer(gray8(3)));
      Object got = reply.get(30, TimeUnit.SECONDS);
      assertTrue(got instanceof StreamReply, "reply: " + got);
      assertSigma(((StreamReply) got).noiseSigma(), "WebSocket");
      ServiceHarness.await(ws.close());
    } finally {
      client.close();
    }
    assertEquals(before + 1, sample().seen("dyn"));
  }

  @Test
  void kafkaOutputsCarryTheNoise() throws Exception {
    long before = sample().seen("dyn");
    try (KafkaProducer<String, byte[]> p = TestKafka.producer()) {
      TestKafka.send(
          p,
          kafka.getString(Setting.KAFKA_TOPIC_NOISY.key()),
          "cam-1",
          gray8(4),
          TestKafka.headers(
              KafkaHeaders.CONTENT_TYPE,
              "application/x-gray8",
              KafkaHeaders.WIDTH,
              "" + W,
              KafkaHeaders.HEIGHT,
              "" + H,
              KafkaHeaders.MODEL,
              "dyn",
              KafkaHeaders.FRAME_ID,
              "k-1"));
    }
    List<ConsumerRecord<String, byte[]>> out =
        TestKafka.read(
            kafka.getString(Setting.KAFKA_TOPIC_DENOISED.key()),
            false,
            l -> !l.isEmpty(),
            false,
            Duration.ofSeconds(60));
    assertFalse(out.isEmpty(), "a denoised record");
    String sigma = KafkaHeaders.text(out.get(0).headers(), KafkaHeaders.NOISE_SIGMA);
    assertNotNull(sigma, "noise-sigma header");
    assertSigma(Double.parseDouble(sigma), "Kafka");
    List<ConsumerRecord<String, byte[]>> latent =
        TestKafka.read(
            kafka.getString(Setting.KAFKA_TOPIC_LATENT.key()),
            false,
            l -> !l.isEmpty(),
            false,
            Duration.ofSeconds(30));
    assertNotNull(KafkaHeaders.text(latent.get(0).headers(), KafkaHeaders.NOISE_SIGMA));
    await().atMost(Duration.ofSeconds(10)).until(() -> sample().seen("dyn") >= before + 1);
  }

  @Test
  void aModelNotNamedIsNotSampledButItsNoiseIsMeasured() throws Exception {
    HttpResponse<Buffer> r =
        ServiceHarness.await(
            http.post("/v1/models/other/denoise?width=" + W + "&height=" + H)
                .putHeader("Content-Type", "application/x-gray8")
                .sendBuffer(Buffer.buffer(gray8(5))));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertSigma(Double.parseDouble(r.getHeader("X-Noise-Sigma")), "HTTP (other)");
    assertEquals(0, sample().seen("other"));
    assertEquals(0, sample().frames("other"));
    MeterRegistry m = svc.svc().metrics().registry();
    assertTrue(m.get("denoiser_noise_sigma").tag("model", "other").summary().count() >= 1);
    assertTrue(m.find("denoiser_feed_sample_frames").tag("model", "other").gauge() == null);
  }
}
