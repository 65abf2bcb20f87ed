package dev.denoiser.kafka.ingest;

import static dev.denoiser.testing.TestKafka.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.data.NoisyDigits;
import dev.denoiser.frame.Frame;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.frame.MediaType;
import dev.denoiser.inference.InferenceResult;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestKafka;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service with its Kafka role on a real broker: frames in, denoised frames, latent codes
 * and dead letters out.
 */
@ExtendWith(VertxExtension.class)
@io.vertx.junit5.Timeout(value = 120, timeUnit = java.util.concurrent.TimeUnit.SECONDS)
@Timeout(180)
@Tag("slow")
class KafkaPipelineTest {
  @TempDir static Path models;
  static ServiceHarness svc;
  static JsonObject names;
  static KafkaProducer<String, byte[]> producer;

  @BeforeAll
  static void start(VertxTestContext ctx) throws Exception {
    TestModels.write(models, "conv-upsample", 1, 11);
    TestModels.write(models, "fixed", 1, 12, 28, 28, 4);
    names = TestKafka.names("pipeline");
    producer = TestKafka.producer();
    ServiceHarness.deploy(models, names.copy().put(Setting.FRAME_MAX_PIXELS.key(), 64 * 64))
        .onComplete(
            ctx.succeeding(
                h -> {
                  svc = h;
                  ctx.completeNow();
                }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    producer.close();
    svc.stop().onComplete(ctx.succeedingThenComplete());
  }

  static String topic(Setting s) {
    return names.getString(s.key());
  }

  static Frame frame(NoisyDigits digits, int i, int size) {
    byte[] g = digits.gray8(i);
    float[] px = new float[g.length];
    for (int p = 0; p < g.length; p++) {
      px[p] = (g[p] & 0xff) / 255f;
    }
    return new Frame(px, size, size);
  }

  static ProducerRecord<String, byte[]> record(
      String key, Frame f, MediaType type, String frameId) {
    Headers h =
        TestKafka.headers(
            KafkaHeaders.CONTENT_TYPE,
            type.mime(),
            KafkaHeaders.FRAME_ID,
            frameId,
            KafkaHeaders.WIDTH,
            Integer.toString(f.width()),
            KafkaHeaders.HEIGHT,
            Integer.toString(f.height()));
    return new ProducerRecord<>(
        topic(Setting.KAFKA_TOPIC_NOISY), null, key, FrameCodec.encode(f, type), h);
  }

  /**
   * Records of {@code topic} whose key starts with {@code prefix}, once there are at least {@code
   * n}.
   */
  static List<ConsumerRecord<String, byte[]>> readKeys(Setting topic, String prefix, int n)
      throws Exception {
    return TestKafka.read(
            topic(topic),
            false,
            l -> l.stream().filter(r -> r.key().startsWith(prefix)).count() >= n,
            false,
            java.time.Duration.ofSeconds(60))
        .stream()
        .filter(r -> r.key().startsWith(prefix))
        .toList();
  }

  static float[] pixels(byte[] bytes, MediaType type) {
    Frame f = new FrameCodec(1 << 20).decode(type, bytes, 28, 28, null, null);
    return f.pixels();
  }

  static float[] floats(byte[] le) {
    float[] out = new float[le.length / 4];
    ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  static void assertClose(float[] want, float[] got, float tolerance, String what) {
    assertEquals(want.length, got.length, what + ": length");
    for (int i = 0; i < want.length; i++) {
      assertTrue(
          Math.abs(want[i] - got[i]) <= tolerance,
          what + ": value " + i + " is " + got[i] + ", want " + want[i]);
    }
  }

  @Test
  void everyFrameComesOutDenoisedWithItsLatentCodeInOrderPerKey(VertxTestContext ctx)
      throws Exception {
    NoisyDigits digits = new NoisyDigits(1, 0.3, 28);
    MediaType[] types = {MediaType.GRAY8, MediaType.FLOAT32, MediaType.PNG};
    Map<String, List<String>> sentIds = new LinkedHashMap<>();
    Map<String, Frame> frames = new HashMap<>();
    Map<String, MediaType> formats = new HashMap<>();
    List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>();
    int n = 90;
    for (int i = 0; i < n; i++) {
      String key = "cam-" + (i % 3);
      String id = key + "-" + i;
      Frame f = frame(digits, i, 28);
      MediaType type = types[(i / 3) % types.length];
      acks.add(producer.send(record(key, f, type, id)));
      sentIds.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
      frames.put(id, f);
      formats.put(id, type);
    }
    for (java.util.concurrent.Future<RecordMetadata> a : acks) {
      a.get();
    }
    List<ConsumerRecord<String, byte[]>> denoised =
        readKeys(Setting.KAFKA_TOPIC_DENOISED, "cam-", n);
    List<ConsumerRecord<String, byte[]>> latent = readKeys(Setting.KAFKA_TOPIC_LATENT, "cam-", n);
    assertEquals(n, denoised.size(), "one denoised frame per input");
    assertEquals(n, latent.size(), "one latent code per input");
    for (List<ConsumerRecord<String, byte[]>> out : List.of(denoised, latent)) {
      Map<String, List<String>> gotIds = new LinkedHashMap<>();
      out.forEach(
          r ->
              gotIds
                  .computeIfAbsent(r.key(), k -> new ArrayList<>())
                  .add(header(r, KafkaHeaders.FRAME_ID)));
      assertEquals(sentIds, gotIds, "same keys and frame ids, in input order per key");
    }
    assertTrue(
        TestKafka.awaitAllCommitted(
            topic(Setting.KAFKA_GROUP_ID), topic(Setting.KAFKA_TOPIC_NOISY)),
        "every input offset is committed once its outputs are written");
    // what the same service answers to each frame directly, to compare with what came out of Kafka
    Map<String, io.vertx.core.Future<InferenceResult>> direct = new HashMap<>();
    frames.forEach((id, f) -> direct.put(id, svc.svc().client().infer(f, null)));
    io.vertx.core.Future.all(new ArrayList<>(direct.values()))
        .onComplete(
            ctx.succeeding(
                all ->
                    ctx.verify(
                        () -> {
                          for (ConsumerRecord<String, byte[]> r : denoised) {
                            String id = header(r, KafkaHeaders.FRAME_ID);
                            MediaType type = formats.get(id);
                            assertEquals(
                                type.mime(),
                                header(r, KafkaHeaders.CONTENT_TYPE),
                                "output in the input's format");
                            assertEquals("conv-upsample", header(r, KafkaHeaders.MODEL));
                            assertEquals("1", header(r, KafkaHeaders.MODEL_VERSION));
                            for (String h :
                                List.of(
                                    KafkaHeaders.QUEUE_US,
                                    KafkaHeaders.COMPUTE_US,
                                    KafkaHeaders.BATCH_SIZE,
                                    KafkaHeaders.E2E_US)) {
                              assertTrue(Long.parseLong(header(r, h)) >= 0, h);
                            }
                            float[] want =
                                pixels(
                                    FrameCodec.encode(direct.get(id).result().denoised(), type),
                                    type);
                            assertClose(
                                want,
                                pixels(r.value(), type),
                                type == MediaType.FLOAT32 ? 1e-5f : 1.01f / 255,
                                "denoised " + id);
                          }
                          for (ConsumerRecord<String, byte[]> r : latent) {
                            String id = header(r, KafkaHeaders.FRAME_ID);
                            assertEquals("4", header(r, KafkaHeaders.LATENT_DIM));
                            assertEquals("conv-upsample", header(r, KafkaHeaders.MODEL));
                            assertEquals("1", header(r, KafkaHeaders.MODEL_VERSION));
                            assertClose(
                                direct.get(id).result().latent(),
                                floats(r.value()),
                                1e-5f,
                                "latent " + id);
                          }
                          ctx.completeNow();
                        })));
  }

  @Test
  void poisonRecordsGoToTheDeadLetterTopicAndTheGoodOnesAroundThemAllComeOut() throws Exception {
    String noisy = topic(Setting.KAFKA_TOPIC_NOISY);
    NoisyDigits digits = new NoisyDigits(2, 0.3, 28);
    byte[] good = digits.gray8(0);
    String gray = MediaType.GRAY8.mime();
    // a PNG signature and an IHDR chunk for 28x28, then garbage
    byte[] notPng =
        ByteBuffer.allocate(60)
            .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
            .putInt(13)
            .put(new byte[] {'I', 'H', 'D', 'R'})
            .putInt(28)
            .putInt(28)
            .put(new byte[] {8, 0, 0, 0, 0, 7, 7, 7})
            .array();
    Object[][] cases = {
      {"g0", good, TestKafka.headers("content-type", gray, "width", "28", "height", "28"), null},
      {"p1", notPng, TestKafka.headers("content-type", "image/png"), "INVALID_FRAME"},
      {"g2", good, TestKafka.headers("content-type", gray, "width", "28", "height", "28"), null},
      {"p3", good, TestKafka.headers("width", "28", "height", "28"), "UNSUPPORTED_MEDIA_TYPE"},
      {"p4", good, TestKafka.headers("content-type", "image/gif"), "UNSUPPORTED_MEDIA_TYPE"},
      {
        "p5",
        new byte[100],
        TestKafka.headers("content-type", gray, "width", "28", "height", "28"),
        "INVALID_FRAME"
      },
      {
        "p6",
        good,
        TestKafka.headers("content-type", gray, "width", "twenty-eight", "height", "28"),
        "INVALID_FRAME"
      },
      {
        "p7",
        good,
        TestKafka.headers("content-type", gray, "width", "28", "height", "28", "model", "nope"),
        "MODEL_NOT_FOUND"
      },
      {
        "p8",
        new byte[100 * 100],
        TestKafka.headers("content-type", gray, "width", "100", "height", "100"),
        "PAYLOAD_TOO_LARGE"
      },
      {
        "p9",
        new byte[32 * 32],
        TestKafka.headers("content-type", gray, "width", "32", "height", "32", "model", "fixed"),
        "UNSUPPORTED_SHAPE"
      },
      {"g10", good, TestKafka.headers("content-type", gray, "width", "28", "height", "28"), null},
      {
        "p11",
        new byte[0],
        TestKafka.headers("content-type", gray, "width", "28", "height", "28"),
        "INVALID_FRAME"
      },
      {
        "g12",
        FrameCodec.toFloat32(frame(digits, 3, 28).pixels()),
        TestKafka.headers("content-type", MediaType.FLOAT32.mime(), "width", "28", "height", "28"),
        null
      },
    };
    Map<String, RecordMetadata> sent = new HashMap<>();
    List<String> goodIds = new ArrayList<>();
    int poison = 0;
    for (Object[] c : cases) {
      Headers h = (Headers) c[2];
      h.add(
          KafkaHeaders.FRAME_ID, ((String) c[0]).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sent.put((String) c[0], TestKafka.send(producer, noisy, "poisoned", (byte[]) c[1], h));
      if (c[3] == null) {
        goodIds.add((String) c[0]);
      } else {
        poison++;
      }
    }
    List<ConsumerRecord<String, byte[]>> dead =
        TestKafka.readAtLeast(topic(Setting.KAFKA_TOPIC_DLQ), poison, false);
    assertEquals(poison, dead.size());
    Map<String, Object[]> byId = new HashMap<>();
    for (Object[] c : cases) {
      byId.put((String) c[0], c);
    }
    for (ConsumerRecord<String, byte[]> r : dead) {
      String id = header(r, KafkaHeaders.FRAME_ID);
      Object[] c = byId.get(id);
      assertNotNull(c, "dead letter of an unknown record " + id);
      assertEquals(c[3], header(r, KafkaHeaders.ERROR_CODE), "error code of " + id);
      assertTrue(!header(r, KafkaHeaders.ERROR_MESSAGE).isBlank(), "error message of " + id);
      assertEquals("poisoned", r.key(), "original key");
      assertArrayEquals((byte[]) c[1], r.value(), "original value of " + id);
      assertEquals(noisy, header(r, KafkaHeaders.SOURCE_TOPIC));
      assertEquals(
          Integer.toString(sent.get(id).partition()), header(r, KafkaHeaders.SOURCE_PARTITION));
      assertEquals(Long.toString(sent.get(id).offset()), header(r, KafkaHeaders.SOURCE_OFFSET));
    }
    List<String> outIds =
        readKeys(Setting.KAFKA_TOPIC_DENOISED, "poisoned", goodIds.size()).stream()
            .map(r -> header(r, KafkaHeaders.FRAME_ID))
            .toList();
    List<String> latentIds =
        readKeys(Setting.KAFKA_TOPIC_LATENT, "poisoned", goodIds.size()).stream()
            .map(r -> header(r, KafkaHeaders.FRAME_ID))
            .toList();
    assertEquals(
        goodIds,
        latentIds,
        "every good record around the poison ones has its latent code, in order");
    assertEquals(goodIds, outIds, "every good record around the poison ones is denoised, in order");
    assertTrue(
        TestKafka.awaitAllCommitted(topic(Setting.KAFKA_GROUP_ID), noisy),
        "the partition goes on past the poison records");
    var registry = svc.metered.registry();
    assertTrue(
        registry
                .counter("denoiser_frames_rejected", "source", "kafka", "code", "INVALID_FRAME")
                .count()
            >= 4);
    assertTrue(
        registry
                .counter("denoiser_frames_rejected", "source", "kafka", "code", "MODEL_NOT_FOUND")
                .count()
            >= 1);
    assertTrue(
        registry.counter("denoiser_kafka_dead_letters", "code", "PAYLOAD_TOO_LARGE").count() >= 1);
    TopicPartition tp = new TopicPartition(noisy, sent.get("g0").partition());
    assertEquals(
        sent.get("g12").offset() + 1,
        TestKafka.committed(topic(Setting.KAFKA_GROUP_ID), noisy).get(tp));
  }
}
