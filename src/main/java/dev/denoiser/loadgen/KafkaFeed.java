package dev.denoiser.loadgen;

import dev.denoiser.data.NoisyDigits;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producing side of a Kafka load run: on its own thread, writes frame {@code k} to the input
 * topic when it is due ({@code first + k * period}), as a raw gray8 record with key {@code
 * <prefix>-<k mod streams>} and headers {@code content-type}, {@code width}, {@code height}, {@code
 * frame-id = <run>-<k>} and, if set, {@code model}. A producer that falls behind sends at once;
 * latency is measured from the due time, so the lateness shows. Idempotent, {@code acks=all}.
 */
final class KafkaFeed implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaLoadPlan plan;
  private final NoisyDigits.Pool frames;
  private final LoadStats stats;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean stopped;
  private Thread thread;

  KafkaFeed(
      Map<String, Object> common, KafkaLoadPlan plan, NoisyDigits.Pool frames, LoadStats stats) {
    Map<String, Object> c = new HashMap<>(common);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, "loadgen-feed-" + plan.runId());
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    c.put(ProducerConfig.LINGER_MS_CONFIG, "2");
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    this.producer = new KafkaProducer<>(c);
    this.plan = plan;
    this.frames = frames;
    this.stats = stats;
  }

  /**
   * Starts sending; the thread ends at {@code plan.endNanos()} or after {@code plan.maxFrames()}.
   */
  void start() {
    thread = new Thread(this::run, "loadgen-kafka-feed");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long k = 0;
    while (!stopped && k < plan.maxFrames()) {
      long due = plan.due(k);
      if (due - plan.endNanos() >= 0) {
        break;
      }
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
        continue;
      }
      send(k);
      k++;
    }
    producer.flush();
  }

  private void send(long k) {
    Headers h = new RecordHeaders();
    h.add("content-type", bytes("application/x-gray8"));
    h.add("width", bytes(Integer.toString(frames.width())));
    h.add("height", bytes(Integer.toString(frames.height())));
    h.add("frame-id", bytes(plan.frameId(k)));
    if (plan.model() != null) {
      h.add("model", bytes(plan.model()));
    }
    ProducerRecord<String, byte[]> r =
        new ProducerRecord<>(plan.inputTopic(), null, plan.key(k), frames.frame(k), h);
    stats.sent();
    sent.incrementAndGet();
    producer.send(
        r,
        (md, e) -> {
          if (e != null) {
            failed.incrementAndGet();
            stats.error("SEND_" + e.getClass().getSimpleName());
          }
        });
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Waits until the feed thread has sent its last frame and flushed. */
  void awaitDone(long timeoutMillis) throws InterruptedException {
    thread.join(timeoutMillis);
  }

  long sent() {
    return sent.get();
  }

  /** Frames whose write failed (they can have no answer). */
  long failed() {
    return failed.get();
  }

  @Override
  public void close() {
    stopped = true;
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    producer.close(java.time.Duration.ofSeconds(10));
  }
}
