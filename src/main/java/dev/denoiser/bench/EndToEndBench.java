package dev.denoiser.bench;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.data.NoisyDigits;
import dev.denoiser.frame.MediaType;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.kafka.client.KafkaOptions;
import dev.denoiser.kafka.client.TopicSetup;
import dev.denoiser.metrics.Metered;
import dev.denoiser.service.ServiceVerticle;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One end-to-end measurement of the benchmark: the whole service (batcher, ONNX Runtime worker,
 * Kafka role) on a broker, fed from {@code frames.noisy} and read back from {@code frames.denoised}
 * by a consumer in the same JVM.
 *
 * <ol>
 *   <li>Throughput: {@code frames} gray8 frames are queued in the input topic first; the rate is
 *       the frames out over the time from the first denoised frame to the last.
 *   <li>Latency: then frames are offered at {@code load} times that rate for {@code seconds}; each
 *       frame's latency is from its send to its arrival at the reading consumer (read_committed in
 *       exactly-once mode, so it includes the transaction commit).
 * </ol>
 */
final class EndToEndBench {
  /** Frames per second (sustained), and latency percentiles in ms at the offered rate. */
  record Result(double framesPerSecond, double offeredRate, double p50Ms, double p99Ms) {}

  private final String bootstrap;
  private final Path modelsDir;
  private final String model;
  private final int intraOpThreads;

  EndToEndBench(String bootstrap, Path modelsDir, String model, int intraOpThreads) {
    this.bootstrap = bootstrap;
    this.modelsDir = modelsDir;
    this.model = model;
    this.intraOpThreads = intraOpThreads;
  }

  Result run(int size, int frames, KafkaOptions.Guarantee g, double load, double seconds)
      throws Exception {
    String s =
        "bench-"
            + size
            + "-"
            + g.name().toLowerCase(java.util.Locale.ROOT)
            + "-"
            + UUID.randomUUID().toString().substring(0, 6);
    JsonObject cfg =
        new JsonObject()
            .put(Setting.MODELS_DIR.key(), modelsDir.toString())
            .put(Setting.MODELS_DEFAULT.key(), model)
            .put(Setting.INFERENCE_INTRA_OP_THREADS.key(), intraOpThreads)
            .put(Setting.HTTP_PORT.key(), 0)
            .put(Setting.HTTP_HOST.key(), "127.0.0.1")
            .put(Setting.KAFKA_BOOTSTRAP_SERVERS.key(), bootstrap)
            .put(Setting.KAFKA_TOPIC_NOISY.key(), "noisy." + s)
            .put(Setting.KAFKA_TOPIC_DENOISED.key(), "denoised." + s)
            .put(Setting.KAFKA_TOPIC_LATENT.key(), "latent." + s)
            .put(Setting.KAFKA_TOPIC_DLQ.key(), "dlq." + s)
            .put(Setting.KAFKA_GROUP_ID.key(), "group." + s)
            .put(Setting.KAFKA_GUARANTEE.key(), g.name().toLowerCase(java.util.Locale.ROOT))
            .put(Setting.KAFKA_DEMO_ENABLED.key(), "false")
            .put(Setting.KAFKA_STATS_INTERVAL_MS.key(), 0);
    Settings settings = Settings.of(cfg);
    KafkaOptions o = KafkaOptions.from(settings, bootstrap);
    TopicSetup.ensure(o);
    NoisyDigits noisy = new NoisyDigits(size, 0.3, size);
    byte[][] digits = noisy.pool(500).frames();
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    try (KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(o.producerConfig("bench-feed"));
        KafkaConsumer<String, byte[]> reader = reader(o, g)) {
      List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>();
      for (int i = 0; i < frames; i++) {
        acks.add(producer.send(record(o, digits, i, "b-" + i)));
      }
      for (java.util.concurrent.Future<?> a : acks) {
        a.get();
      }
      Metered metered = Metered.create();
      ServiceVerticle service = new ServiceVerticle(settings, metered.serviceMetrics());
      metered
          .vertx()
          .deployVerticle(service)
          .toCompletionStage()
          .toCompletableFuture()
          .get(120, TimeUnit.SECONDS);
      try {
        long[] span = readBacklog(reader, frames);
        double fps = (frames - 1) * 1e9 / Math.max(1, span[1] - span[0]);
        double rate = Math.max(1, fps * load);
        Histogram h = latency(producer, reader, o, digits, frames, rate, seconds, sentAt);
        return new Result(
            fps, rate, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0);
      } finally {
        service
            .drain()
            .compose(v -> metered.vertx().close())
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
      }
    }
  }

  private static ProducerRecord<String, byte[]> record(
      KafkaOptions o, byte[][] digits, int i, String id) {
    byte[] frame = digits[i % digits.length];
    String side = Integer.toString((int) Math.round(Math.sqrt(frame.length)));
    RecordHeaders h = new RecordHeaders();
    KafkaHeaders.put(h, KafkaHeaders.CONTENT_TYPE, MediaType.GRAY8.mime());
    KafkaHeaders.put(h, KafkaHeaders.WIDTH, side);
    KafkaHeaders.put(h, KafkaHeaders.HEIGHT, side);
    KafkaHeaders.put(h, KafkaHeaders.FRAME_ID, id);
    return new ProducerRecord<>(o.noisyTopic(), null, "stream-" + (i % 16), frame, h);
  }

  private KafkaConsumer<String, byte[]> reader(KafkaOptions o, KafkaOptions.Guarantee g) {
    Map<String, Object> c = new HashMap<>(o.adminConfig());
    c.put("key.deserializer", StringDeserializer.class.getName());
    c.put("value.deserializer", ByteArrayDeserializer.class.getName());
    c.put(
        "isolation.level",
        g == KafkaOptions.Guarantee.EXACTLY_ONCE ? "read_committed" : "read_uncommitted");
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c);
    List<TopicPartition> tps =
        consumer.partitionsFor(o.denoisedTopic()).stream()
            .map(p -> new TopicPartition(o.denoisedTopic(), p.partition()))
            .toList();
    consumer.assign(tps);
    consumer.seekToBeginning(tps);
    return consumer;
  }

  /** Reads the denoised backlog; returns the nanoTime of the first and of the last frame. */
  private static long[] readBacklog(KafkaConsumer<String, byte[]> reader, int frames) {
    long first = 0;
    long last = 0;
    int got = 0;
    long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (got < frames && System.nanoTime() < giveUp) {
      int n = reader.poll(Duration.ofMillis(50)).count();
      if (n > 0) {
        last = System.nanoTime();
        first = got == 0 ? last : first;
        got += n;
      }
    }
    if (got < frames) {
      throw new IllegalStateException(
          "only " + got + " of " + frames + " frames came out in 5 minutes");
    }
    return new long[] {first, last};
  }

  private static Histogram latency(
      KafkaProducer<String, byte[]> producer,
      KafkaConsumer<String, byte[]> reader,
      KafkaOptions o,
      byte[][] digits,
      int base,
      double rate,
      double seconds,
      Map<String, Long> sentAt) {
    Histogram h = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    int sent = 0;
    int received = 0;
    while (System.nanoTime() < end || received < sent) {
      long now = System.nanoTime();
      int due = now < end ? (int) ((now - start) / 1e9 * rate) : sent;
      for (; sent < due; sent++) {
        String id = "l-" + sent;
        sentAt.put(id, System.nanoTime());
        producer.send(record(o, digits, base + sent, id));
      }
      for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(5))) {
        var fid = r.headers().lastHeader(KafkaHeaders.FRAME_ID);
        Long t0 =
            fid == null ? null : sentAt.remove(new String(fid.value(), StandardCharsets.UTF_8));
        if (t0 != null) {
          h.recordValue(Math.min(h.getHighestTrackableValue(), (System.nanoTime() - t0) / 1000));
          received++;
        }
      }
      if (System.nanoTime() > end + TimeUnit.SECONDS.toNanos(60)) {
        break;
      }
    }
    return h;
  }
}
