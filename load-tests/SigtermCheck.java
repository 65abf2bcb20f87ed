// Helper of load-tests/sigterm.sh, run as a single-file program on the service's class path:
//   java -cp CP load-tests/SigtermCheck.java feed  BOOTSTRAP TOPIC FRAMES_PER_SECOND RUN_FILE
//   java -cp CP load-tests/SigtermCheck.java check BOOTSTRAP NOISY DENOISED DLQ GROUP
// feed writes 32x32 gray8 frames (frame-id f<n>, 8 keys) until RUN_FILE disappears.
// check reads every input, every output and the group's committed offsets, and prints
// inputs, committed, answered, committed_unanswered, answered_uncommitted, duplicates.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class SigtermCheck {
  public static void main(String[] a) throws Exception {
    if (a[0].equals("feed")) {
      feed(a[1], a[2], Integer.parseInt(a[3]), Path.of(a[4]));
    } else {
      check(a[1], a[2], a[3], a[4], a[5]);
    }
  }

  static void feed(String bootstrap, String topic, int rate, Path runFile) throws Exception {
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    c.put("key.serializer", StringSerializer.class.getName());
    c.put("value.serializer", ByteArraySerializer.class.getName());
    c.put("acks", "all");
    Random rnd = new Random(1);
    long n = 0;
    long start = System.nanoTime();
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(c)) {
      while (Files.exists(runFile)) {
        byte[] v = new byte[32 * 32];
        rnd.nextBytes(v);
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, "s" + (n % 8), v);
        r.headers().add("frame-id", ("f" + n).getBytes(StandardCharsets.UTF_8))
            .add("content-type", "application/x-gray8".getBytes(StandardCharsets.UTF_8))
            .add("width", "32".getBytes(StandardCharsets.UTF_8)).add("height", "32".getBytes(StandardCharsets.UTF_8))
            .add("model", "natural-gray".getBytes(StandardCharsets.UTF_8));
        p.send(r);
        n++;
        long due = start + n * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
      p.flush();
    }
    System.out.println("fed " + n);
  }

  static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    c.put("key.deserializer", StringDeserializer.class.getName());
    c.put("value.deserializer", ByteArrayDeserializer.class.getName());
    c.put("isolation.level", "read_committed");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> k = new KafkaConsumer<>(c)) {
      List<TopicPartition> tps = k.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      Map<TopicPartition, Long> ends = k.endOffsets(tps);
      k.assign(tps);
      k.seekToBeginning(tps);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (System.nanoTime() < deadline && !tps.stream().allMatch(tp -> k.position(tp) >= ends.get(tp))) {
        k.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  static void check(String bootstrap, String noisy, String denoised, String dlq, String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    }
    Map<String, Integer> answers = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : readAll(bootstrap, denoised)) {
      answers.merge(header(r, "frame-id"), 1, Integer::sum);
    }
    int dead = 0;
    for (ConsumerRecord<String, byte[]> r : readAll(bootstrap, dlq)) {
      answers.merge(header(r, "frame-id"), 1, Integer::sum);
      dead++;
    }
    long inputs = 0, committedN = 0, answered = 0, committedUnanswered = 0, answeredUncommitted = 0, duplicates = 0;
    for (ConsumerRecord<String, byte[]> r : readAll(bootstrap, noisy)) {
      inputs++;
      OffsetAndMetadata o = committed.get(new TopicPartition(r.topic(), r.partition()));
      boolean isCommitted = o != null && r.offset() < o.offset();
      int n = answers.getOrDefault(header(r, "frame-id"), 0);
      committedN += isCommitted ? 1 : 0;
      answered += n > 0 ? 1 : 0;
      duplicates += Math.max(0, n - 1);
      committedUnanswered += isCommitted && n == 0 ? 1 : 0;
      answeredUncommitted += !isCommitted && n > 0 ? 1 : 0;
    }
    System.out.printf("inputs=%d committed=%d answered=%d dead_letters=%d committed_unanswered=%d answered_uncommitted=%d duplicates=%d%n",
        inputs, committedN, answered, dead, committedUnanswered, answeredUncommitted, duplicates);
  }
}
