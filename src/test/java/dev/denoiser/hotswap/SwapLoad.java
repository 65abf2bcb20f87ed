package dev.denoiser.hotswap;

import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.testing.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Continuous load for swap tests: {@code httpClients} threads posting 8x8 float32 frames to {@code
 * /v1/models/{model}/denoise} back to back, and one thread feeding the noisy topic (about 100
 * frames/s) while another reads the denoised topic. Every answer is kept with the time its request
 * was sent and answered, the version it names, its input and its output.
 */
public final class SwapLoad implements AutoCloseable {
  static final int H = 8;
  static final int W = 8;

  /**
   * One answered request: when it was sent and answered (nanoTime), the version it names, in and
   * out.
   */
  record Sample(String source, long sent, long done, long version, float[] in, float[] out) {}

  final List<Sample> samples = new CopyOnWriteArrayList<>();
  final List<String> failures = new CopyOnWriteArrayList<>();
  final Map<String, long[]> kafkaSent = new ConcurrentHashMap<>();
  final float[][] frames = new float[4][H * W];
  private final Map<String, float[]> kafkaInput = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean reading = new AtomicBoolean(true);
  private final AtomicInteger kafkaAnswered = new AtomicInteger();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final Thread reader;

  SwapLoad(int port, String model, int httpClients, String noisyTopic, String denoisedTopic)
      throws Exception {
    Random r = new Random(5);
    for (float[] f : frames) {
      for (int i = 0; i < f.length; i++) {
        f[i] = r.nextFloat();
      }
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    for (int c = 0; c < httpClients; c++) {
      int id = c;
      start(() -> httpLoop(http, port, model, id));
    }
    KafkaProducer<String, byte[]> producer = TestKafka.producer();
    start(() -> kafkaFeed(producer, noisyTopic, model));
    reader = start(() -> kafkaRead(denoisedTopic));
  }

  private Thread start(Runnable r) {
    Thread t = new Thread(r, "swap-load");
    t.setDaemon(true);
    threads.add(t);
    t.start();
    return t;
  }

  public static byte[] le(float[] px) {
    ByteBuffer b = ByteBuffer.allocate(px.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(px);
    return b.array();
  }

  static float[] floats(byte[] bytes) {
    float[] out = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  private void httpLoop(HttpClient http, int port, String model, int id) {
    int n = id;
    while (running.get()) {
      float[] in = frames[n++ % frames.length];
      HttpRequest req =
          HttpRequest.newBuilder(
                  URI.create(
                      "http://127.0.0.1:"
                          + port
                          + "/v1/models/"
                          + model
                          + "/denoise?width="
                          + W
                          + "&height="
                          + H))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/x-float32")
              .POST(HttpRequest.BodyPublishers.ofByteArray(le(in)))
              .build();
      long sent = System.nanoTime();
      try {
        HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        long done = System.nanoTime();
        if (resp.statusCode() != 200) {
          failures.add(
              "http "
                  + resp.statusCode()
                  + ": "
                  + new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8));
        } else {
          long v = Long.parseLong(resp.headers().firstValue("X-Model-Version").orElse("-1"));
          samples.add(new Sample("http", sent, done, v, in, floats(resp.body())));
        }
      } catch (Exception e) {
        failures.add("http " + e);
      }
    }
  }

  private void kafkaFeed(KafkaProducer<String, byte[]> producer, String topic, String model) {
    try (producer) {
      for (int n = 0; running.get(); n++) {
        float[] in = frames[n % frames.length];
        String frameId = "k" + n;
        kafkaInput.put(frameId, in);
        kafkaSent.put(frameId, new long[] {System.nanoTime()});
        producer.send(
            new ProducerRecord<>(
                topic,
                null,
                "s" + n % 4,
                le(in),
                TestKafka.headers(
                    KafkaHeaders.CONTENT_TYPE,
                    "application/x-float32",
                    KafkaHeaders.WIDTH,
                    "" + W,
                    KafkaHeaders.HEIGHT,
                    "" + H,
                    KafkaHeaders.FRAME_ID,
                    frameId,
                    KafkaHeaders.MODEL,
                    model)),
            (m, e) -> {
              if (e != null) {
                failures.add("kafka send " + e);
              }
            });
        Thread.sleep(10); // the feed's pace (stimulus, not a wait)
      }
    } catch (Exception e) {
      failures.add("kafka feed " + e);
    }
  }

  private void kafkaRead(String topic) {
    Map<String, Object> c =
        Map.of(
            "bootstrap.servers",
            uncheckedBootstrap(),
            "key.deserializer",
            StringDeserializer.class.getName(),
            "value.deserializer",
            ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      while (reading.get()) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          long done = System.nanoTime();
          String frameId = TestKafka.header(r, KafkaHeaders.FRAME_ID);
          long v = Long.parseLong(TestKafka.header(r, KafkaHeaders.MODEL_VERSION));
          samples.add(
              new Sample(
                  "kafka",
                  kafkaSent.get(frameId)[0],
                  done,
                  v,
                  kafkaInput.get(frameId),
                  floats(r.value())));
          kafkaAnswered.incrementAndGet();
        }
      }
    } catch (Exception e) {
      failures.add("kafka read " + e);
    }
  }

  private static String uncheckedBootstrap() {
    try {
      return TestKafka.bootstrap();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  long answered(String source, long version) {
    return samples.stream()
        .filter(s -> s.source().equals(source) && s.version() == version)
        .count();
  }

  /**
   * Stops sending, waits (up to a minute) until every Kafka frame sent has its output, stops
   * reading.
   */
  void finish() throws Exception {
    running.set(false);
    for (Thread t : threads) {
      if (t != reader) {
        t.join(30_000);
      }
    }
    try {
      Awaitility.await("every Kafka frame answered")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> kafkaAnswered.get() >= kafkaSent.size());
    } catch (ConditionTimeoutException e) {
      // the caller compares what was answered with what was sent, and names what is missing
    }
    reading.set(false);
    reader.join(10_000);
  }

  int kafkaAnswered() {
    return kafkaAnswered.get();
  }

  @Override
  public void close() throws Exception {
    running.set(false);
    reading.set(false);
  }
}
