package dev.denoiser.bench;

import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.kafka.client.KafkaOptions;
import dev.denoiser.kafka.client.TopicSetup;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The Kafka path as a {@link ClosedLoop} request function: each request produces the frame to
 * {@code kafka.topic.noisy} (raw bytes; headers content-type, width, height, model and a unique
 * frame-id) and completes when a record with that frame-id arrives on {@code kafka.topic.denoised}
 * (success) or on the dead-letter topic (failure, with its error-code). One reader thread polls
 * both topics from their end; answers go back to the caller's context.
 */
final class KafkaPath implements AutoCloseable {
  /**
   * Largest record the topics and clients of the benchmark take: a 1920x1080 RGB frame is 6.2 MB.
   */
  static final int MAX_RECORD_BYTES = 32 << 20;

  /** {@code kafka.clientProperties} for the service, so its clients move frames this large. */
  static final String CLIENT_PROPERTIES =
      "max.request.size=" + MAX_RECORD_BYTES + ";max.partition.fetch.bytes=" + MAX_RECORD_BYTES;

  private record Pending(Context context, Promise<Void> promise) {}

  private final KafkaOptions o;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> reader;
  private final Map<String, Pending> waiting = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  private KafkaPath(KafkaOptions o) {
    this.o = o;
    Map<String, Object> p = new HashMap<>(o.producerConfig("bench-natural"));
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_RECORD_BYTES));
    producer = new KafkaProducer<>(p);
    Map<String, Object> c = new HashMap<>(o.adminConfig());
    c.remove(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    c.put("key.deserializer", StringDeserializer.class.getName());
    c.put("value.deserializer", ByteArrayDeserializer.class.getName());
    c.put("max.partition.fetch.bytes", Integer.toString(MAX_RECORD_BYTES));
    reader = new KafkaConsumer<>(c);
    List<TopicPartition> tps = new ArrayList<>();
    for (String t : List.of(o.denoisedTopic(), o.dlqTopic())) {
      reader.partitionsFor(t).forEach(pi -> tps.add(new TopicPartition(t, pi.partition())));
    }
    reader.assign(tps);
    reader.seekToEnd(tps);
    tps.forEach(reader::position); // resolve the end offsets now, before any frame is sent
    producer.partitionsFor(o.noisyTopic());
    thread = new Thread(this::read, "bench-natural-kafka-reader");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Creates the service's topics (unless they exist) with {@code max.message.bytes} large enough
   * for full-HD frames, then opens the producer and the reader. Blocking.
   */
  static KafkaPath open(KafkaOptions o) throws Exception {
    Map<String, String> big = Map.of("max.message.bytes", Integer.toString(MAX_RECORD_BYTES));
    try (Admin admin = Admin.create(o.adminConfig())) {
      var existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      for (String t : List.of(o.noisyTopic(), o.denoisedTopic(), o.latentTopic())) {
        if (!existing.contains(t)) {
          missing.add(new NewTopic(t, Optional.of(o.partitions()), Optional.empty()).configs(big));
        }
      }
      if (!existing.contains(o.dlqTopic())) {
        missing.add(new NewTopic(o.dlqTopic(), Optional.of(1), Optional.empty()).configs(big));
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get();
      }
      // the service may have created some of them first, with the broker's 1 MB default: raise it
      Map<org.apache.kafka.common.config.ConfigResource, java.util.Collection<AlterConfigOp>>
          alter = new java.util.HashMap<>();
      for (String t : List.of(o.noisyTopic(), o.denoisedTopic(), o.latentTopic(), o.dlqTopic())) {
        if (existing.contains(t)) {
          alter.put(
              new org.apache.kafka.common.config.ConfigResource(
                  org.apache.kafka.common.config.ConfigResource.Type.TOPIC, t),
              List.of(
                  new AlterConfigOp(
                      new ConfigEntry("max.message.bytes", Integer.toString(MAX_RECORD_BYTES)),
                      AlterConfigOp.OpType.SET)));
        }
      }
      if (!alter.isEmpty()) {
        admin.incrementalAlterConfigs(alter).all().get();
      }
      TopicSetup.awaitReady(
          admin, List.of(o.noisyTopic(), o.denoisedTopic(), o.latentTopic(), o.dlqTopic()));
    }
    return new KafkaPath(o);
  }

  /**
   * Produces the frame (call on a Vert.x context); completes on that context when it comes back.
   */
  Future<Void> send(String model, NaturalFrame f, int i) {
    String id = "bn-" + ids.incrementAndGet();
    Pending p = new Pending(Vertx.currentContext(), Promise.promise());
    waiting.put(id, p);
    RecordHeaders h = new RecordHeaders();
    KafkaHeaders.put(h, KafkaHeaders.CONTENT_TYPE, f.mediaType().mime());
    KafkaHeaders.put(h, KafkaHeaders.WIDTH, Integer.toString(f.width()));
    KafkaHeaders.put(h, KafkaHeaders.HEIGHT, Integer.toString(f.height()));
    KafkaHeaders.put(h, KafkaHeaders.MODEL, model);
    KafkaHeaders.put(h, KafkaHeaders.FRAME_ID, id);
    producer.send(
        new ProducerRecord<>(o.noisyTopic(), null, "stream-" + (i % 16), f.wire(), h),
        (md, e) -> {
          if (e != null) {
            answer(id, "produce failed: " + e.getMessage());
          }
        });
    return p.promise().future();
  }

  private void read() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(20))) {
          String id = header(r, KafkaHeaders.FRAME_ID);
          if (id == null) {
            continue;
          }
          if (r.topic().equals(o.dlqTopic())) {
            String code = header(r, KafkaHeaders.ERROR_CODE);
            answer(id, code == null ? "dead-lettered" : code);
          } else {
            answer(id, r.value() == null || r.value().length == 0 ? "empty denoised record" : null);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    }
  }

  private void answer(String id, String error) {
    Pending p = waiting.remove(id);
    if (p != null) {
      p.context()
          .runOnContext(
              v -> {
                if (error == null) {
                  p.promise().complete();
                } else {
                  p.promise().fail(error);
                }
              });
    }
  }

  private static String header(ConsumerRecord<?, ?> r, String key) {
    Header h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    reader.wakeup();
    thread.join(10_000);
    reader.close();
    producer.close(Duration.ofSeconds(10));
  }
}
