package dev.denoiser.testing;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Headers;

/** Public access to the test JVM's one embedded broker ({@link TestKafka}) for tests of other packages. */
public final class SharedBroker {
  private SharedBroker() {}

  public static String bootstrap() throws Exception {
    return TestKafka.bootstrap();
  }

  /** Kafka role on, with the test's own topics and group. */
  public static JsonObject names(String test) throws Exception {
    return TestKafka.names(test);
  }

  public static KafkaProducer<String, byte[]> producer() throws Exception {
    return TestKafka.producer();
  }

  public static Headers headers(String... kv) {
    return TestKafka.headers(kv);
  }

  public static void send(KafkaProducer<String, byte[]> p, String topic, String key, byte[] value, Headers h)
      throws Exception {
    TestKafka.send(p, topic, key, value, h);
  }

  public static List<ConsumerRecord<String, byte[]>> readToEnd(String topic) throws Exception {
    return TestKafka.read(topic, false, l -> false, true, Duration.ofSeconds(60));
  }

  public static String header(ConsumerRecord<?, ?> r, String name) {
    return TestKafka.header(r, name);
  }
}
