package dev.denoiser.deploy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads an output topic of the scale-out test: for every record its key, frame id, the replica that
 * wrote it and when.
 */
final class Outputs {
  /**
   * One output record. {@code timestamp} is its create time, set by the replica's producer (ms).
   */
  record Out(String key, String frameId, String replica, long timestamp) {}

  private Outputs() {}

  /**
   * Reads {@code topic} from the beginning until {@code done} holds (or {@code timeout} passes),
   * then on to the end offsets of that moment, so the result is a complete snapshot. {@code
   * committed}: read_committed (what exactly-once consumers see).
   */
  static List<Out> read(
      String bootstrap,
      String topic,
      boolean committed,
      Predicate<List<Out>> done,
      Duration timeout) {
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    c.put("key.deserializer", StringDeserializer.class.getName());
    c.put("value.deserializer", ByteArrayDeserializer.class.getName());
    c.put("isolation.level", committed ? "read_committed" : "read_uncommitted");
    List<Out> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
      List<TopicPartition> tps =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      long end = System.nanoTime() + timeout.toNanos();
      while (!done.test(out) && System.nanoTime() < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(of(r)));
      }
      Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
      long stop = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
          && System.nanoTime() < stop) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(of(r)));
      }
    }
    return out;
  }

  private static Out of(ConsumerRecord<String, byte[]> r) {
    return new Out(r.key(), text(r, "frame-id"), text(r, ReplicaTag.HEADER), r.timestamp());
  }

  private static String text(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** How many outputs each frame id has. */
  static Map<String, Integer> counts(List<Out> outs) {
    Map<String, Integer> n = new HashMap<>();
    outs.forEach(o -> n.merge(o.frameId(), 1, Integer::sum));
    return n;
  }
}
