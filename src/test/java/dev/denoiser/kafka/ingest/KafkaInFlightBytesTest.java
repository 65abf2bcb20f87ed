package dev.denoiser.kafka.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestKafka;
import dev.denoiser.testing.TestModels;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of large PNG records ({@value #N} x 256 KB of noise, far more than {@code
 * kafka.maxInFlightBytes} of 2 MB): the consumer pauses every partition on the byte cap, not the
 * record count, holds a bounded number of bytes, resumes as records are committed, and every frame
 * comes out once, in input order per key, decoded on the codec pool rather than the event loop.
 */
@Tag("slow")
@Timeout(240)
class KafkaInFlightBytesTest {
  static final int N = 60;
  static final int SIDE = 512;
  static final long CAP = 2L << 20;
  @TempDir Path models;
  JsonObject cfg;
  ServiceHarness svc;

  @BeforeEach
  void start() throws Exception {
    TestModels.write(models, "dyn", 1, 3);
    cfg =
        TestKafka.names("inflight-bytes")
            .put(Setting.MODELS_DEFAULT.key(), "dyn")
            .put(Setting.KAFKA_MAX_IN_FLIGHT_BYTES.key(), CAP);
    svc = ServiceHarness.start(models, cfg);
  }

  @AfterEach
  void stop() throws Exception {
    svc.close();
  }

  static byte[] noisePng(long seed) throws Exception {
    Random r = new Random(seed);
    BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
    byte[] px = new byte[SIDE * SIDE];
    r.nextBytes(px);
    img.getRaster().setDataElements(0, 0, SIDE, SIDE, px);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  double gauge(String name) {
    var g = svc.metered.registry().find(name).gauge();
    return g == null ? 0 : g.value();
  }

  double counter(String name, String tag, String value) {
    var c = svc.metered.registry().find(name).tag(tag, value).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aBurstOfLargeRecordsPausesOnBytesAndResumes() throws Exception {
    String noisy = cfg.getString(Setting.KAFKA_TOPIC_NOISY.key());
    AtomicLong peakBytes = new AtomicLong();
    AtomicLong peakRecords = new AtomicLong();
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler =
        new Thread(
            () -> {
              while (sampling.get()) {
                peakBytes.accumulateAndGet(
                    (long) gauge("denoiser_kafka_in_flight_bytes"), Math::max);
                peakRecords.accumulateAndGet((long) gauge("denoiser_kafka_in_flight"), Math::max);
                try {
                  Thread.sleep(2);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    sampler.start();
    Map<String, List<String>> sent = new LinkedHashMap<>();
    long total = 0;
    try (KafkaProducer<String, byte[]> producer = TestKafka.producer()) {
      List<Future<?>> acks = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        byte[] png = noisePng(i);
        total += png.length;
        String key = "cam-" + (i % 3);
        String id = key + "/" + i;
        acks.add(
            producer.send(
                new ProducerRecord<>(
                    noisy,
                    null,
                    key,
                    png,
                    TestKafka.headers("content-type", "image/png", "frame-id", id))));
        sent.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
      }
      for (Future<?> a : acks) {
        a.get();
      }
    }
    List<ConsumerRecord<String, byte[]>> out =
        TestKafka.read(
            cfg.getString(Setting.KAFKA_TOPIC_DENOISED.key()),
            false,
            l -> l.size() >= N,
            false,
            Duration.ofSeconds(180));
    Map<String, List<String>> got = new LinkedHashMap<>();
    out.forEach(
        r ->
            got.computeIfAbsent(r.key(), k -> new ArrayList<>())
                .add(TestKafka.header(r, KafkaHeaders.FRAME_ID)));
    assertEquals(sent, got, "every frame once, in input order per key");
    assertTrue(TestKafka.awaitAllCommitted(cfg.getString(Setting.KAFKA_GROUP_ID.key()), noisy));
    Awaitility.await("partitions resumed, nothing held")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                gauge("denoiser_kafka_paused_partitions") == 0
                    && gauge("denoiser_kafka_in_flight_bytes") == 0);
    sampling.set(false);
    sampler.join();
    double bytePauses = counter("denoiser_kafka_cap_pauses", "reason", "bytes");
    double decodes = counter("denoiser_codec_jobs", "job", "kafka");
    System.out.printf(
        "kafka-inflight-bytes: %d records, %.1f MB sent; cap %.1f MB; peak held %.1f MB in %d"
            + " records; %.0f pauses on bytes; %.0f decodes on the codec pool%n",
        N, total / 1e6, CAP / 1e6, peakBytes.get() / 1e6, peakRecords.get(), bytePauses, decodes);
    assertTrue(bytePauses >= 1, "the byte cap paused the consumer");
    assertEquals(
        0,
        counter("denoiser_kafka_cap_pauses", "reason", "records"),
        "the record count (2048) was never the limit");
    assertTrue(
        peakBytes.get() < total,
        "the consumer never held the whole burst: peak " + peakBytes.get() + " of " + total);
    assertTrue(decodes >= N, "every record was decoded on the codec pool: " + decodes);
    assertEquals(
        0,
        TestKafka.readToEnd(cfg.getString(Setting.KAFKA_TOPIC_DLQ.key()), false).size(),
        "nothing was dead-lettered");
  }
}
