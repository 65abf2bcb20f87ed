package dev.denoiser.loadgen;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The reading side of a Kafka load run: reads the denoised and dead-letter topics from their end
 * offsets at the start of the run (no consumer group, every partition assigned), on its own thread,
 * and matches each record of this run to its frame by the {@code frame-id} header. The first
 * denoised record of a frame records its latency from the frame's due time; a dead letter counts as
 * an error by its {@code error-code}; any further record of the same frame is a duplicate.
 */
final class KafkaReplies implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaLoadPlan plan;
  private final String dlqTopic;
  private final LoadStats stats;
  private final BitSet seen = new BitSet();
  private final AtomicLong resolved = new AtomicLong();
  private volatile boolean stopped;
  private Thread thread;

  KafkaReplies(
      Map<String, Object> common,
      KafkaLoadPlan plan,
      String outputTopic,
      String dlqTopic,
      boolean readCommitted,
      LoadStats stats) {
    Map<String, Object> c = new HashMap<>(common);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "loadgen-replies-" + plan.runId());
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        readCommitted ? "read_committed" : "read_uncommitted");
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
    this.consumer = new KafkaConsumer<>(c);
    this.plan = plan;
    this.dlqTopic = dlqTopic;
    this.stats = stats;
    List<TopicPartition> tps = new ArrayList<>();
    for (String t : List.of(outputTopic, dlqTopic)) {
      consumer
          .partitionsFor(t, Duration.ofSeconds(10))
          .forEach(p -> tps.add(new TopicPartition(t, p.partition())));
    }
    consumer.assign(tps);
    consumer.seekToEnd(tps);
    // resolve the end offsets now, before the first frame is sent
    tps.forEach(tp -> consumer.position(tp, Duration.ofSeconds(10)));
  }

  /** Starts reading on its own thread. */
  void start() {
    thread = new Thread(this::run, "loadgen-kafka-replies");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (!stopped) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          onRecord(r, System.nanoTime());
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void onRecord(ConsumerRecord<byte[], byte[]> r, long now) {
    long k = plan.frameOf(text(r, "frame-id"));
    if (k < 0) {
      return;
    }
    if (seen.get((int) k)) {
      stats.duplicate();
      return;
    }
    seen.set((int) k);
    if (r.topic().equals(dlqTopic)) {
      String code = text(r, "error-code");
      stats.error(code == null ? "DEAD_LETTER" : code);
    } else {
      stats.answered(plan.due(k), now);
    }
    resolved.incrementAndGet();
  }

  private static String text(ConsumerRecord<?, ?> r, String header) {
    Header h = r.headers().lastHeader(header);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Frames of this run with an answer or a dead letter so far. */
  long resolved() {
    return resolved.get();
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    if (thread == null) {
      consumer.close(Duration.ofSeconds(5));
      return;
    }
    consumer.wakeup();
    thread.join(10_000);
  }
}
