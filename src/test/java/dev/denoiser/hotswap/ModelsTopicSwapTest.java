package dev.denoiser.hotswap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.inference.ModelLoader;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.model.ModelCard;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestKafka;
import dev.denoiser.testing.TestModels;
import dev.denoiser.trainer.TopicDistributor;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distribution through the models topic on a real broker: 20 successive swaps under continuous HTTP
 * and Kafka load, corrupt records refused while serving goes on, and a replica started later that
 * serves the newest version as soon as it is ready.
 */
@Tag("slow")
public class ModelsTopicSwapTest {
  static final String MODEL = "m";
  static final int LAST = 21;
  @TempDir Path tmp;
  final Map<Long, byte[]> onnx = new HashMap<>();

  /** The serving replica's own key: what a trainer in that process would sign with. */
  static volatile dev.denoiser.trust.ModelSigner signer;

  @Test
  void twentySwapsThroughTheTopicFailNothingAndEveryAnswerNamesAVersionLiveAtTheTime()
      throws Exception {
    Path models = tmp.resolve("models");
    onnx.put(
        1L,
        Files.readAllBytes(TestModels.write(models, MODEL, 1, 101).resolve(ModelCard.MODEL_FILE)));
    JsonObject cfg =
        TestKafka.names("swap")
            .put(Setting.MODELS_DEFAULT.key(), MODEL)
            .put(Setting.MODELS_SIGNATURE_REQUIRED.key(), true)
            .put(Setting.KAFKA_TOPIC_MODELS.key(), "models." + UUID.randomUUID());
    String topic = cfg.getString(Setting.KAFKA_TOPIC_MODELS.key());
    long[] sentAt = new long[LAST + 2];
    long[] liveAt = new long[LAST + 2];
    liveAt[LAST + 1] = Long.MAX_VALUE;
    try (ServiceHarness svc = ServiceHarness.start(models, cfg);
        KafkaProducer<String, byte[]> producer = TestKafka.producer();
        SwapLoad load =
            new SwapLoad(
                svc.port(),
                MODEL,
                2,
                cfg.getString(Setting.KAFKA_TOPIC_NOISY.key()),
                cfg.getString(Setting.KAFKA_TOPIC_DENOISED.key()))) {
      signer = svc.svc().registry().trust().signer();
      for (long v = 2; v <= LAST; v++) {
        if (v == 11) {
          refusesCorruptRecords(svc, producer, topic);
        }
        onnx.put(v, TestModels.onnx(100 + v, 0, 0, 4, "denoised"));
        sentAt[(int) v] = System.nanoTime();
        send(producer, topic, MODEL, envelope(v, onnx.get(v), ModelLoader.sha256(onnx.get(v))));
        long version = v;
        await(
            () -> svc.svc().registry().card(MODEL).version() == version,
            "version " + v + " swapped in");
        liveAt[(int) v] = System.nanoTime();
        await(() -> load.answered("http", version) > 0, "version " + v + " answered over HTTP");
      }
      await(() -> load.answered("kafka", LAST) > 0, "the last version answered over Kafka");
      load.finish();

      assertEquals(List.of(), load.failures, "no request may fail during swaps");
      assertEquals(load.kafkaSent.size(), load.kafkaAnswered(), "every Kafka frame answered");
      assertEquals(
          List.of(),
          TestKafka.readToEnd(cfg.getString(Setting.KAFKA_TOPIC_DLQ.key()), false),
          "no dead letters");
      int http = 0;
      for (SwapLoad.Sample s : load.samples) {
        int v = (int) s.version();
        assertTrue(v >= 1 && v <= LAST, "version " + v);
        assertTrue(
            s.done() >= (v == 1 ? 0 : sentAt[v]) && s.sent() <= liveAt[v + 1],
            s.source() + " answer tagged " + v + " outside the time version " + v + " was live");
        float[] want = TestModels.reference(onnx.get((long) v), s.in(), SwapLoad.H, SwapLoad.W);
        for (int i = 0; i < want.length; i++) {
          assertEquals(
              want[i], s.out()[i], 1e-4, s.source() + " pixels must come from version " + v);
        }
        http += s.source().equals("http") ? 1 : 0;
      }
      assertTrue(http > 40, "HTTP load ran: " + http);
      assertTrue(
          load.samples.size() - http > 40, "Kafka load ran: " + (load.samples.size() - http));
      assertEquals(
          LAST,
          ModelCard.read(models.resolve(MODEL).resolve(ModelCard.FILE)).version(),
          "written to models.dir");
      assertEquals(
          0.0,
          failures(svc, "stale_version"),
          "the watcher and the topic never install the same version twice");
    }

    // a replica started now reads the topic to its end before it is ready
    Path fresh = tmp.resolve("fresh");
    TestModels.write(fresh, MODEL, 1, 101);
    JsonObject cfg2 =
        cfg.copy()
            .put(Setting.KAFKA_GROUP_ID.key(), "fresh." + UUID.randomUUID())
            .put(
                Setting.MODELS_TRUSTED_KEYS.key(),
                dev.denoiser.trust.SigningKeys.encode(signer.keyPair().getPublic()));
    try (ServiceHarness replica = ServiceHarness.start(fresh, cfg2)) {
      assertTrue(replica.svc().ready());
      assertEquals(
          LAST,
          replica.svc().registry().card(MODEL).version(),
          "serves the newest version once ready");
    }
  }

  @Test
  void modelsOfSeveralMegabytesTravelTheTopic() throws Exception {
    int channels = 60_000;
    Path models = tmp.resolve("big");
    TestModels.write(models, "big", 1, 1, 0, 0, channels);
    JsonObject cfg =
        TestKafka.names("big")
            .put(Setting.MODELS_DEFAULT.key(), "big")
            .put(Setting.KAFKA_TOPIC_MODELS.key(), "models." + UUID.randomUUID());
    try (ServiceHarness svc = ServiceHarness.start(models, cfg);
        TopicDistributor publisher =
            new TopicDistributor(
                Map.of("bootstrap.servers", TestKafka.bootstrap()),
                cfg.getString(Setting.KAFKA_TOPIC_MODELS.key()),
                16L << 20,
                svc.svc().registry().trust().signer())) {
      byte[] big = TestModels.onnx(2, 0, 0, channels, "denoised");
      assertTrue(
          big.length > 4 << 20, "over the broker's default 1 MB record limit: " + big.length);
      publisher.publish(
          new ModelCard(
              "big", "test-conv", 2, ModelLoader.sha256(big), 0, 0, 1, channels, new JsonObject()),
          big);
      await(
          () -> svc.svc().registry().card("big").version() == 2,
          "the 4 MB version arrives and swaps in");
    }
  }

  private void refusesCorruptRecords(
      ServiceHarness svc, KafkaProducer<String, byte[]> producer, String topic) throws Exception {
    long serving = svc.svc().registry().card(MODEL).version();
    byte[] good = TestModels.onnx(999, 0, 0, 4, "denoised");
    send(producer, topic, MODEL, "garbage, not an envelope".getBytes(StandardCharsets.UTF_8));
    await(() -> failures(svc, "envelope") >= 1, "garbage counted");
    send(producer, topic, MODEL, envelope(serving + 1, good, ModelLoader.sha256(new byte[] {1})));
    await(() -> failures(svc, "checksum") >= 1, "bad checksum counted");
    byte[] junk = "junk bytes in place of a model".getBytes(StandardCharsets.UTF_8);
    send(producer, topic, MODEL, envelope(serving + 1, junk, ModelLoader.sha256(junk)));
    await(() -> failures(svc, "parse") >= 1, "unparseable model counted");
    assertEquals(
        serving, svc.svc().registry().card(MODEL).version(), "the old version keeps serving");
  }

  static byte[] envelope(long version, byte[] onnx, String sha256) {
    ModelCard card =
        new ModelCard(
            MODEL,
            "test-conv",
            version,
            sha256,
            0,
            0,
            1,
            4,
            new JsonObject().put("noise", "gaussian:0.3"));
    return new ModelEnvelope(card, onnx, signer.sign(card, onnx)).encode();
  }

  static void send(KafkaProducer<String, byte[]> p, String topic, String key, byte[] value)
      throws Exception {
    TestKafka.send(
        p,
        topic,
        key,
        value,
        TestKafka.headers(KafkaHeaders.CONTENT_TYPE, ModelEnvelope.CONTENT_TYPE));
  }

  static double failures(ServiceHarness svc, String reason) {
    return svc
        .svc()
        .metrics()
        .registry()
        .find("denoiser_model_load_failures")
        .tag("reason", reason)
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  /** Polls {@code cond} every 20 ms until it holds; fails naming {@code what} after 60 s. */
  public static void await(BooleanSupplier cond, String what) {
    Awaitility.await(what)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(cond::getAsBoolean);
  }
}
