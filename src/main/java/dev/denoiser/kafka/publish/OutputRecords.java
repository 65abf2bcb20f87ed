package dev.denoiser.kafka.publish;

import dev.denoiser.inference.InferenceResult;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.kafka.client.KafkaOptions;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the output records of one input record. All keep the input's key, so each stream stays
 * on one output partition.
 *
 * <ul>
 *   <li>Denoised ({@code kafka.topic.denoised}): the frame in the input's format, with headers
 *       content-type, width, height, frame-id, model, model-version, queue-us, compute-us,
 *       batch-size, e2e-us (input record timestamp to now) and noise-sigma (the input's estimated
 *       noise, 0-255 scale).
 *   <li>Latent ({@code kafka.topic.latent}): little-endian float32 values, with latent-dim,
 *       frame-id, model, model-version and noise-sigma.
 *   <li>Dead letter ({@code kafka.topic.dlq}): the input's value and headers, plus error-code,
 *       error-message, source-topic, source-partition and source-offset.
 * </ul>
 */
public final class OutputRecords {
  private final KafkaOptions options;

  public OutputRecords(KafkaOptions options) {
    this.options = options;
  }

  public List<ProducerRecord<String, byte[]>> results(ConsumerRecord<String, byte[]> in, FrameRequest req, InferenceResult r) {
    String frameId = req.frame().frameId();
    Headers dh = new RecordHeaders();
    KafkaHeaders.put(dh, KafkaHeaders.CONTENT_TYPE, req.type().mime());
    KafkaHeaders.put(dh, KafkaHeaders.WIDTH, r.denoised().width());
    KafkaHeaders.put(dh, KafkaHeaders.HEIGHT, r.denoised().height());
    KafkaHeaders.put(dh, KafkaHeaders.FRAME_ID, frameId);
    KafkaHeaders.put(dh, KafkaHeaders.MODEL, r.model());
    KafkaHeaders.put(dh, KafkaHeaders.MODEL_VERSION, r.modelVersion());
    KafkaHeaders.put(dh, KafkaHeaders.QUEUE_US, r.queueMicros());
    KafkaHeaders.put(dh, KafkaHeaders.COMPUTE_US, r.computeMicros());
    KafkaHeaders.put(dh, KafkaHeaders.BATCH_SIZE, r.batchSize());
    KafkaHeaders.put(dh, KafkaHeaders.E2E_US, Math.max(0, System.currentTimeMillis() - in.timestamp()) * 1000);
    if (r.noiseSigmaText() != null) {
      KafkaHeaders.put(dh, KafkaHeaders.NOISE_SIGMA, r.noiseSigmaText());
    }
    Headers lh = new RecordHeaders();
    KafkaHeaders.put(lh, KafkaHeaders.LATENT_DIM, r.latent().length);
    KafkaHeaders.put(lh, KafkaHeaders.FRAME_ID, frameId);
    KafkaHeaders.put(lh, KafkaHeaders.MODEL, r.model());
    KafkaHeaders.put(lh, KafkaHeaders.MODEL_VERSION, r.modelVersion());
    if (r.noiseSigmaText() != null) {
      KafkaHeaders.put(lh, KafkaHeaders.NOISE_SIGMA, r.noiseSigmaText());
    }
    return List.of(
        new ProducerRecord<>(options.denoisedTopic(), null, in.key(), FrameCodec.encode(r.denoised(), req.type()), dh),
        new ProducerRecord<>(options.latentTopic(), null, in.key(), FrameCodec.toFloat32(r.latent()), lh));
  }

  public ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> in, DenoiserException e) {
    Headers h = new RecordHeaders();
    for (Header x : in.headers()) {
      h.add(x);
    }
    KafkaHeaders.put(h, KafkaHeaders.ERROR_CODE, e.code().name());
    KafkaHeaders.put(h, KafkaHeaders.ERROR_MESSAGE, e.getMessage());
    KafkaHeaders.put(h, KafkaHeaders.SOURCE_TOPIC, in.topic());
    KafkaHeaders.put(h, KafkaHeaders.SOURCE_PARTITION, in.partition());
    KafkaHeaders.put(h, KafkaHeaders.SOURCE_OFFSET, in.offset());
    return new ProducerRecord<>(options.dlqTopic(), null, in.key(), in.value(), h);
  }
}
