package dev.denoiser.deploy;

import dev.denoiser.data.NoisyDigits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Feeds the scale-out test's input topic at a steady rate from its own thread: frame {@code i} is a
 * noisy 28x28 gray8 digit with frame id {@code f-i} and key {@code keys[i mod keys]}, written by an
 * idempotent producer with {@code acks=all}, until {@link #stopAfter} says how many more.
 */
final class FrameFeed implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final List<String> keys;
  private final long periodNanos;
  private final NoisyDigits.Pool digits = new NoisyDigits(7, 0.3, 28).pool(64);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile long limit = Long.MAX_VALUE;
  private final Thread thread = new Thread(this::run, "scale-out-feed");

  FrameFeed(String bootstrap, String topic, List<String> keys, double framesPerSecond) {
    this.producer =
        new KafkaProducer<>(
            Map.of(
                "bootstrap.servers",
                bootstrap,
                "acks",
                "all",
                "enable.idempotence",
                "true",
                "linger.ms",
                "5",
                "key.serializer",
                StringSerializer.class.getName(),
                "value.serializer",
                ByteArraySerializer.class.getName()));
    this.topic = topic;
    this.keys = keys;
    this.periodNanos = Math.round(1e9 / framesPerSecond);
    thread.setDaemon(true);
  }

  /**
   * {@code perPartition} keys for each of {@code partitions} partitions (the default partitioner's
   * murmur2), so every partition gets frames.
   */
  static List<String> keysCovering(int partitions, int perPartition) {
    List<List<String>> by = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      by.add(new ArrayList<>());
    }
    for (int i = 0; by.stream().anyMatch(l -> l.size() < perPartition); i++) {
      String k = "stream-" + i;
      int p = Utils.toPositive(Utils.murmur2(k.getBytes(StandardCharsets.UTF_8))) % partitions;
      if (by.get(p).size() < perPartition) {
        by.get(p).add(k);
      }
    }
    List<String> keys = new ArrayList<>();
    for (int j = 0; j < perPartition; j++) {
      for (List<String> l : by) {
        keys.add(l.get(j));
      }
    }
    return keys;
  }

  void start() {
    thread.start();
  }

  private void run() {
    long first = System.nanoTime();
    for (long i = 0; i < limit; i++) {
      long wait = first + i * periodNanos - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Headers h = new RecordHeaders();
      h.add("content-type", "application/x-gray8".getBytes(StandardCharsets.UTF_8));
      h.add("width", "28".getBytes(StandardCharsets.UTF_8));
      h.add("height", "28".getBytes(StandardCharsets.UTF_8));
      h.add("frame-id", id(i).getBytes(StandardCharsets.UTF_8));
      producer.send(
          new ProducerRecord<>(topic, null, keys.get((int) (i % keys.size())), digits.frame(i), h),
          (md, e) -> {
            if (e != null) {
              failed.incrementAndGet();
            }
          });
      sent.incrementAndGet();
    }
    producer.flush();
  }

  static String id(long i) {
    return "f-" + i;
  }

  /** Sends {@code more} frames after those already sent, then stops. */
  void stopAfter(long more) {
    limit = sent.get() + more;
  }

  long sent() {
    return sent.get();
  }

  long failed() {
    return failed.get();
  }

  /** Waits until the last frame is written and acknowledged; returns the frame ids sent. */
  List<String> awaitDone(long timeoutSeconds) throws InterruptedException {
    thread.join(TimeUnit.SECONDS.toMillis(timeoutSeconds));
    if (thread.isAlive()) {
      throw new AssertionError("the feed did not finish within " + timeoutSeconds + " s");
    }
    List<String> ids = new ArrayList<>();
    for (long i = 0; i < sent.get(); i++) {
      ids.add(id(i));
    }
    return ids;
  }

  @Override
  public void close() {
    limit = 0;
    producer.close(java.time.Duration.ofSeconds(10));
  }
}
