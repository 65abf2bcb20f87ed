package dev.denoiser.deploy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka client interceptor the scale-out test puts into its replicas through {@code
 * kafka.clientProperties} ({@code interceptor.classes=...}): every record a replica produces gets a
 * {@value #HEADER} header with the replica's name (system property {@value #PROPERTY}), so the
 * outputs tell which replica served each frame. The service hands the same properties to its
 * consumers too, so this is also a consumer interceptor that changes nothing.
 */
public final class ReplicaTag
    implements ProducerInterceptor<Object, Object>, ConsumerInterceptor<Object, Object> {
  public static final String HEADER = "served-by";
  public static final String PROPERTY = "denoiser.replica";
  private final byte[] name =
      System.getProperty(PROPERTY, "unnamed").getBytes(StandardCharsets.UTF_8);

  @Override
  public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
    record.headers().add(HEADER, name);
    return record;
  }

  @Override
  public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    // nothing to count
  }

  @Override
  public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
    return records;
  }

  @Override
  public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    // nothing to count
  }

  @Override
  public void close() {
    // nothing held
  }

  @Override
  public void configure(Map<String, ?> configs) {
    // the name comes from the system property
  }
}
