package dev.denoiser.bench;

import ai.djl.Device;
import dev.denoiser.config.Settings;
import dev.denoiser.data.NoisyDigits;
import dev.denoiser.frame.Frame;
import dev.denoiser.inference.DeviceSelector;
import dev.denoiser.inference.ModelHandle;
import dev.denoiser.inference.ModelLoader;
import dev.denoiser.kafka.client.KafkaOptions;
import dev.denoiser.kafka.client.TopicSetup;
import dev.denoiser.kafka.embedded.EmbeddedKafka;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code bench kafka}: sustained frames per second from {@code frames.noisy} to {@code
 * frames.denoised} through the whole service on an embedded broker, compared in the same run, on
 * the same cores, with raw ONNX Runtime batch throughput of the same model and with Kafka alone
 * (produce, then consume, the same bytes with no inference). Prints a Markdown table.
 */
public final class KafkaBench {
  /**
   * What to measure: the model, frame sizes, frames per run, seconds per timed phase, guarantees.
   */
  public record Options(
      Path modelsDir,
      String model,
      List<Integer> sizes,
      int frames,
      int batch,
      double seconds,
      double load,
      int intraOpThreads,
      List<KafkaOptions.Guarantee> guarantees) {}

  private final Options opt;
  private final PrintStream out;

  public KafkaBench(Options opt, PrintStream out) {
    this.opt = opt;
    this.out = out;
  }

  public void run() throws Exception {
    Path modelDir = opt.modelsDir().resolve(opt.model());
    int cores = Runtime.getRuntime().availableProcessors();
    int threads = opt.intraOpThreads() > 0 ? opt.intraOpThreads() : cores;
    Device device = new DeviceSelector().select("auto");
    ModelHandle model = new ModelLoader(device, threads).load(modelDir);
    Path data = Files.createTempDirectory("bench-kafka");
    String load0 = loadAverage();
    List<String> rows = new ArrayList<>();
    try (EmbeddedKafka broker = EmbeddedKafka.start(data, 0)) {
      EndToEndBench e2e =
          new EndToEndBench(broker.bootstrapServers(), opt.modelsDir(), opt.model(), threads);
      for (int size : opt.sizes()) {
        double ort = rawOrt(model, size);
        double[] kafka = kafkaOnly(broker.bootstrapServers(), size);
        for (KafkaOptions.Guarantee g : opt.guarantees()) {
          EndToEndBench.Result r = e2e.run(size, opt.frames(), g, opt.load(), opt.seconds());
          rows.add(
              String.format(
                  Locale.ROOT,
                  "| %dx%d | %s | %,.0f | %,.0f / %,.0f | %,.0f | %.0f%% | %.1f / %.1f ms at %,.0f frames/s |",
                  size,
                  size,
                  g.name().toLowerCase(Locale.ROOT),
                  ort,
                  kafka[0],
                  kafka[1],
                  r.framesPerSecond(),
                  100 * r.framesPerSecond() / ort,
                  r.p50Ms(),
                  r.p99Ms(),
                  r.offeredRate()));
          out.println(rows.get(rows.size() - 1));
        }
      }
    } finally {
      model.release();
    }
    out.println();
    out.printf(
        Locale.ROOT,
        "bench kafka: model %s version %d (%s) from %s on %s, %d cores, ONNX Runtime %d intra-op threads, "
            + "batches of %d, %d frames per run; load average %s at start, %s at end%n",
        opt.model(),
        model.version(),
        model.card().architecture(),
        opt.modelsDir(),
        device,
        cores,
        threads,
        opt.batch(),
        opt.frames(),
        load0,
        loadAverage());
    out.println(
        "| Frame | Guarantee | Raw ORT batch (frames/s) | Kafka only: produce / consume (frames/s) "
            + "| End-to-end (frames/s) | End-to-end / raw ORT | Latency p50 / p99 (offered rate) |");
    out.println("| --- | --- | --- | --- | --- | --- | --- |");
    rows.forEach(out::println);
  }

  /**
   * Frames per second of back-to-back ONNX Runtime runs of {@code batch} frames, after a warm-up.
   */
  private double rawOrt(ModelHandle model, int size) throws Exception {
    NoisyDigits digits = new NoisyDigits(size, 0.3, size);
    List<Frame> batch = new ArrayList<>();
    for (int i = 0; i < opt.batch(); i++) {
      byte[] g = digits.gray8(i);
      float[] px = new float[g.length];
      for (int p = 0; p < g.length; p++) {
        px[p] = (g[p] & 0xff) / 255f;
      }
      batch.add(new Frame(px, size, size));
    }
    for (long end = System.nanoTime() + 1_000_000_000L; System.nanoTime() < end; ) {
      model.run(batch);
    }
    long runs = 0;
    long start = System.nanoTime();
    long end = start + (long) (opt.seconds() * 1e9);
    while (System.nanoTime() < end) {
      model.run(batch);
      runs++;
    }
    return runs * batch.size() * 1e9 / (System.nanoTime() - start);
  }

  /**
   * Kafka alone: frames per second producing {@code frames} records of a frame's bytes (acks=all),
   * then consuming them.
   */
  private double[] kafkaOnly(String bootstrap, int size) throws Exception {
    KafkaOptions o = KafkaOptions.from(Settings.defaultsOnly(), bootstrap);
    String topic = "bench.kafka-only." + size + "." + System.nanoTime();
    try (var admin = org.apache.kafka.clients.admin.Admin.create(o.adminConfig())) {
      admin
          .createTopics(
              List.of(
                  new org.apache.kafka.clients.admin.NewTopic(topic, o.partitions(), (short) 1)))
          .all()
          .get();
      TopicSetup.awaitReady(admin, List.of(topic));
    }
    byte[] value = new NoisyDigits(size, 0.3, size).gray8(0);
    long t0 = System.nanoTime();
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(o.producerConfig("bench-kafka-only"))) {
      for (int i = 0; i < opt.frames(); i++) {
        p.send(new ProducerRecord<>(topic, "stream-" + (i % 16), value));
      }
      p.flush();
    }
    double produce = opt.frames() * 1e9 / (System.nanoTime() - t0);
    Map<String, Object> c = new HashMap<>(o.adminConfig());
    c.put("key.deserializer", StringDeserializer.class.getName());
    c.put("value.deserializer", ByteArrayDeserializer.class.getName());
    long t1 = System.nanoTime();
    int got = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
      List<TopicPartition> tps =
          consumer.partitionsFor(topic).stream()
              .map(pi -> new TopicPartition(topic, pi.partition()))
              .toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      while (got < opt.frames()) {
        got += consumer.poll(Duration.ofMillis(100)).count();
      }
    }
    return new double[] {produce, got * 1e9 / (System.nanoTime() - t1)};
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "n/a";
    }
  }
}
