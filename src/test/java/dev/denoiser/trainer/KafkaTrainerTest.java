package dev.denoiser.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Mnist;
import dev.denoiser.frame.Frame;
import dev.denoiser.hotswap.ModelEnvelope;
import dev.denoiser.hotswap.ModelsTopicSwapTest;
import dev.denoiser.hotswap.SwapLoad;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.model.ModelCard;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestKafka;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve --with-trainer on a real broker: reference frames collected into the persisted buffer,
 * garbage control messages refused while the trainer goes on, a control message that trains (real
 * DJL, small budget) and promotes through the models topic, the replica swapping to it, and a
 * replica started afterwards serving it.
 */
@Tag("slow")
class KafkaTrainerTest {
  static final String MODEL = "conv-upsample";
  static final int REFERENCES = 21;
  @TempDir Path tmp;

  @Test
  void controlTopicTrainsOnReferenceFramesAndPromotesThroughTheModelsTopic() throws Exception {
    Path models = tmp.resolve("models");
    AdminTrainTest.copyShipped(models, MODEL);
    String s = UUID.randomUUID().toString().substring(0, 8);
    JsonObject cfg =
        TestKafka.names("trainer")
            .put(Setting.MODELS_DEFAULT.key(), MODEL)
            .put(Setting.KAFKA_TOPIC_MODELS.key(), "models." + s)
            .put(Setting.KAFKA_TOPIC_CONTROL.key(), "control." + s)
            .put(Setting.KAFKA_TOPIC_REFERENCE.key(), "reference." + s);
    JsonObject trainerCfg =
        cfg.copy()
            .put(Setting.TRAINER_ENABLED.key(), true)
            .put(Setting.AUTH_TOKEN.key(), "t")
            .put(Setting.TRAINER_DATA_DIR.key(), tmp.resolve("data").toString())
            .put(Setting.TRAINER_THREADS.key(), 1)
            .put(Setting.TRAINER_GATE_HOLDOUT_IMAGES.key(), 200)
            .put(Setting.TRAINER_GATE_TOLERANCE.key(), 0.5)
            .put(Setting.TRAINER_REFERENCE_HOLDOUT_EVERY.key(), 4);
    long promoted;
    try (ServiceHarness svc = ServiceHarness.start(models, trainerCfg);
        KafkaProducer<String, byte[]> producer = TestKafka.producer()) {
      sendReferences(producer, "reference." + s);
      ModelsTopicSwapTest.await(
          () ->
              count(svc, "denoiser_trainer_reference_frames", "accepted") == REFERENCES
                  && count(svc, "denoiser_trainer_reference_frames", "UNSUPPORTED_SHAPE") == 1
                  && count(svc, "denoiser_trainer_reference_frames", "INVALID_FRAME") == 1,
          "reference frames collected");

      String control = "control." + s;
      for (String garbage :
          new String[] {
            "not json",
            "{\"model\":\"nope\"}",
            "{\"model\":\"" + MODEL + "\",\"params\":{\"epochs\":\"x\"}}"
          }) {
        TestKafka.send(
            producer, control, null, garbage.getBytes(StandardCharsets.UTF_8), TestKafka.headers());
      }
      ModelsTopicSwapTest.await(
          () ->
              count(svc, "denoiser_trainer_control_messages", "BAD_REQUEST") == 2
                  && count(svc, "denoiser_trainer_control_messages", "MODEL_NOT_FOUND") == 1,
          "garbage refused");
      TestKafka.send(
          producer,
          control,
          MODEL,
          ("{\"model\":\"" + MODEL + "\",\"params\":{\"limit\":256,\"learningRate\":0.0002}}")
              .getBytes(StandardCharsets.UTF_8),
          TestKafka.headers());

      RunBook book = svc.service.trainer().triggers().book();
      ModelsTopicSwapTest.await(
          () -> !book.list().isEmpty() && book.list().get(0).state().done(), "the run ends");
      TrainingRun run = book.list().get(0);
      assertTrue(run.trigger().startsWith("kafka control." + s), run.trigger());
      assertEquals(TrainingRun.State.PROMOTED, run.state(), run.toJson().encodePrettily());
      JsonObject result = run.result();
      promoted = result.getLong("version");
      assertTrue(result.getString("publishedTo").startsWith("topic models." + s), result.encode());
      JsonObject holdout = result.getJsonObject("gate").getJsonObject("holdout");
      assertEquals(
          6, holdout.getInteger("referenceImages"), "frames 0, 4, 8, 12, 16, 20 are held out");
      assertEquals(206, holdout.getInteger("images"));
      assertEquals(
          256 + 15,
          result.getInteger("trainImages"),
          "MNIST limit plus the other reference frames");

      ModelsTopicSwapTest.await(
          () -> svc.svc().registry().card(MODEL).version() == promoted, "the replica swaps");
      Frame digit = new Frame(new float[28 * 28], 28, 28);
      assertEquals(
          promoted, ServiceHarness.await(svc.svc().client().infer(digit, MODEL)).modelVersion());
      List<ConsumerRecord<String, byte[]>> onTopic = TestKafka.readToEnd("models." + s, false);
      assertEquals(1, onTopic.size());
      ConsumerRecord<String, byte[]> rec = onTopic.get(0);
      assertEquals(MODEL, rec.key());
      assertEquals(Long.toString(promoted), TestKafka.header(rec, KafkaHeaders.MODEL_VERSION));
      ModelEnvelope env = ModelEnvelope.decode(rec.value());
      assertEquals(env.card().sha256(), TestKafka.header(rec, ModelEnvelope.SHA256_HEADER));
      assertEquals("promote", env.card().json().getJsonObject("gate").getString("decision"));
      assertEquals(
          ModelCard.read(models.resolve(MODEL).resolve(ModelCard.FILE)).sha256(),
          env.card().sha256());
    }

    try (ReferenceBuffer b =
        ReferenceBuffer.open(tmp.resolve("data").resolve(TrainerRole.REFERENCE_FILE), 10_000)) {
      assertEquals(REFERENCES, b.count(), "the buffer outlives the process");
    }

    Path fresh = tmp.resolve("fresh");
    AdminTrainTest.copyShipped(fresh, MODEL);
    try (ServiceHarness replica =
        ServiceHarness.start(fresh, cfg.put(Setting.KAFKA_GROUP_ID.key(), "fresh." + s))) {
      assertEquals(
          promoted,
          replica.svc().registry().card(MODEL).version(),
          "a replica started later serves it");
    }
  }

  /**
   * 20 MNIST test digits as gray8 and one as float32 (accepted), one 10x10 frame and one bad PNG
   * (refused).
   */
  private static void sendReferences(KafkaProducer<String, byte[]> p, String topic)
      throws Exception {
    ImageSet digits = Mnist.locate(null).test();
    for (int i = 0; i < REFERENCES - 1; i++) {
      TestKafka.send(
          p,
          topic,
          "cam",
          digits.gray8(1000 + i),
          TestKafka.headers(
              KafkaHeaders.CONTENT_TYPE,
              "application/x-gray8",
              KafkaHeaders.WIDTH,
              "28",
              KafkaHeaders.HEIGHT,
              "28"));
    }
    TestKafka.send(
        p,
        topic,
        "cam",
        SwapLoad.le(digits.image(2000)),
        TestKafka.headers(
            KafkaHeaders.CONTENT_TYPE,
            "application/x-float32",
            KafkaHeaders.WIDTH,
            "28",
            KafkaHeaders.HEIGHT,
            "28"));
    TestKafka.send(
        p,
        topic,
        "cam",
        new byte[100],
        TestKafka.headers(
            KafkaHeaders.CONTENT_TYPE,
            "application/x-gray8",
            KafkaHeaders.WIDTH,
            "10",
            KafkaHeaders.HEIGHT,
            "10"));
    TestKafka.send(
        p,
        topic,
        "cam",
        new byte[] {1, 2, 3},
        TestKafka.headers(KafkaHeaders.CONTENT_TYPE, "image/png"));
  }

  private static double count(ServiceHarness svc, String meter, String outcome) {
    return svc.svc().metrics().registry().find(meter).tag("outcome", outcome).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }
}
