package dev.denoiser.trainer;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.hotswap.ModelEnvelope;
import dev.denoiser.hotswap.ModelsTopic;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.model.ModelCard;
import dev.denoiser.trust.ModelSigner;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Promotion through Kafka: one record on the compacted models topic, key = model name, value =
 * {@link ModelEnvelope}, headers {@code content-type}, {@code model}, {@code model-version}, {@code
 * sha256}. The envelope carries the model's Ed25519 signature by this process's key ({@link
 * ModelSigner}), which the replicas check against their trusted keys. Returns once the broker has
 * acknowledged it ({@code acks=all}).
 */
public final class TopicDistributor implements Distributor {
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final long maxBytes;
  private final ModelSigner signer;

  /**
   * Publishes signed with {@code signer} (null: unsigned envelopes, which replicas requiring
   * signatures refuse).
   */
  public TopicDistributor(
      Map<String, Object> common, String topic, long maxBytes, ModelSigner signer) {
    this.producer =
        new KafkaProducer<>(ModelsTopic.producerConfig(common, "models-publisher", maxBytes));
    this.topic = topic;
    this.maxBytes = maxBytes;
    this.signer = signer;
  }

  @Override
  public String publish(ModelCard card, byte[] onnx) throws Exception {
    byte[] value =
        new ModelEnvelope(card, onnx, signer == null ? null : signer.sign(card, onnx)).encode();
    if (value.length > maxBytes) {
      throw new DenoiserException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "model envelope of "
              + value.length
              + " bytes is over kafka.models.maxBytes ("
              + maxBytes
              + ")");
    }
    RecordHeaders h = new RecordHeaders();
    KafkaHeaders.put(h, KafkaHeaders.CONTENT_TYPE, ModelEnvelope.CONTENT_TYPE);
    KafkaHeaders.put(h, KafkaHeaders.MODEL, card.name());
    KafkaHeaders.put(h, KafkaHeaders.MODEL_VERSION, card.version());
    KafkaHeaders.put(h, ModelEnvelope.SHA256_HEADER, card.sha256());
    RecordMetadata m =
        producer
            .send(new ProducerRecord<>(topic, null, card.name(), value, h))
            .get(60, TimeUnit.SECONDS);
    return "topic " + m.topic() + "-" + m.partition() + "@" + m.offset();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
