package dev.denoiser.kafka.publish;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.inference.InferenceResult;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.kafka.client.KafkaOptions;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the output records of one input record. All keep the input's key, so each stream stays on
 * one output partition.
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
 *
 * <p>No record built here is larger than {@code kafka.maxRecordBytes} (key, value and headers, plus
 * a margin for Kafka's own framing): a dead letter that would be is cut to fit, with headers {@code
 * truncated: true} and {@code original-size} (the input headers are dropped too when they alone are
 * over half the budget); an output that would be is not built ({@link #fits} says so and the caller
 * dead-letters the input instead). A record over the broker's limit is refused for good, so without
 * this one oversized input would hold its partition's commits forever.
 */
public final class OutputRecords {
  /** Kafka's record batch header and per-record framing, with room to spare. */
  static final int FRAMING_BYTES = 512;

  private final KafkaOptions options;

  public OutputRecords(KafkaOptions options) {
    this.options = options;
  }

  public String dlqTopic() {
    return options.dlqTopic();
  }

  /** Bytes {@code r} takes on the wire, roughly: key, value, header names and values, framing. */
  public static long size(ProducerRecord<byte[], byte[]> r) {
    return FRAMING_BYTES
        + (r.key() == null ? 0 : r.key().length)
        + (r.value() == null ? 0 : r.value().length)
        + headerBytes(r.headers());
  }

  private static long headerBytes(Iterable<Header> headers) {
    long n = 0;
    for (Header h : headers) {
      n += 8 + h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    return n;
  }

  /** True when every record fits {@code kafka.maxRecordBytes}. */
  public boolean fits(List<ProducerRecord<byte[], byte[]>> records) {
    return records.stream().allMatch(r -> size(r) <= options.maxRecordBytes());
  }

  /** True for a dead letter cut to fit. */
  public static boolean truncated(ProducerRecord<byte[], byte[]> r) {
    return "true".equals(KafkaHeaders.text(r.headers(), KafkaHeaders.TRUNCATED));
  }

  public List<ProducerRecord<byte[], byte[]>> results(
      ConsumerRecord<byte[], byte[]> in, FrameRequest req, InferenceResult r) {
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
    KafkaHeaders.put(
        dh, KafkaHeaders.E2E_US, Math.max(0, System.currentTimeMillis() - in.timestamp()) * 1000);
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
        new ProducerRecord<>(
            options.denoisedTopic(),
            null,
            in.key(),
            FrameCodec.encode(r.denoised(), req.type()),
            dh),
        new ProducerRecord<>(
            options.latentTopic(), null, in.key(), FrameCodec.toFloat32(r.latent()), lh));
  }

  /** The dead letter of {@code in}, cut to fit {@code kafka.maxRecordBytes} when it would not. */
  public ProducerRecord<byte[], byte[]> deadLetter(
      ConsumerRecord<byte[], byte[]> in, DenoiserException e) {
    byte[] key =
        in.key() != null && in.key().length > 1024
            ? java.util.Arrays.copyOf(in.key(), 1024)
            : in.key();
    int max = options.maxRecordBytes();
    boolean keepHeaders = headerBytes(in.headers()) <= max / 2;
    Headers h = new RecordHeaders();
    if (keepHeaders) {
      for (Header x : in.headers()) {
        h.add(x);
      }
    }
    KafkaHeaders.put(h, KafkaHeaders.ERROR_CODE, e.code().name());
    KafkaHeaders.put(h, KafkaHeaders.ERROR_MESSAGE, abbreviate(e.getMessage(), 1024));
    KafkaHeaders.put(h, KafkaHeaders.SOURCE_TOPIC, in.topic());
    KafkaHeaders.put(h, KafkaHeaders.SOURCE_PARTITION, in.partition());
    KafkaHeaders.put(h, KafkaHeaders.SOURCE_OFFSET, in.offset());
    ProducerRecord<byte[], byte[]> whole =
        new ProducerRecord<>(options.dlqTopic(), null, key, in.value(), h);
    if (keepHeaders && key == in.key() && size(whole) <= max) {
      return whole;
    }
    if (!keepHeaders) {
      KafkaHeaders.put(
          h,
          KafkaHeaders.FRAME_ID,
          abbreviate(KafkaHeaders.text(in.headers(), KafkaHeaders.FRAME_ID), 256));
    }
    return truncate(whole, in.value() == null ? 0 : in.value().length, max);
  }

  /**
   * A copy of {@code r} whose value is cut so that the record fits {@code max} bytes, with headers
   * {@code truncated: true} and {@code original-size}.
   */
  static ProducerRecord<byte[], byte[]> truncate(
      ProducerRecord<byte[], byte[]> r, long originalSize, int max) {
    Headers h = new RecordHeaders();
    for (Header x : r.headers()) {
      if (!x.key().equals(KafkaHeaders.TRUNCATED) && !x.key().equals(KafkaHeaders.ORIGINAL_SIZE)) {
        h.add(x);
      }
    }
    KafkaHeaders.put(h, KafkaHeaders.TRUNCATED, "true");
    KafkaHeaders.put(h, KafkaHeaders.ORIGINAL_SIZE, originalSize);
    ProducerRecord<byte[], byte[]> empty =
        new ProducerRecord<>(r.topic(), null, r.key(), new byte[0], h);
    long room = Math.max(0, max - size(empty));
    byte[] value =
        r.value() == null
            ? new byte[0]
            : java.util.Arrays.copyOf(r.value(), (int) Math.min(room, r.value().length));
    return new ProducerRecord<>(r.topic(), null, r.key(), value, h);
  }

  /**
   * What replaces a record the producer or the broker refused for good (too large for the topic,
   * invalid): a dead letter with no value that keeps the record's headers, says why, and is marked
   * truncated.
   */
  public ProducerRecord<byte[], byte[]> refused(
      ProducerRecord<byte[], byte[]> r, Slot slot, Exception cause) {
    Headers h = new RecordHeaders();
    if (r.topic().equals(options.dlqTopic())) {
      for (Header x : r.headers()) {
        h.add(x);
      }
    } else {
      for (Header x : slot.record.headers()) {
        h.add(x);
      }
      KafkaHeaders.put(h, KafkaHeaders.ERROR_CODE, ErrorCode.PAYLOAD_TOO_LARGE.name());
      KafkaHeaders.put(
          h,
          KafkaHeaders.ERROR_MESSAGE,
          abbreviate("the output to " + r.topic() + " was refused: " + cause, 1024));
      KafkaHeaders.put(h, KafkaHeaders.SOURCE_TOPIC, slot.record.topic());
      KafkaHeaders.put(h, KafkaHeaders.SOURCE_PARTITION, slot.record.partition());
      KafkaHeaders.put(h, KafkaHeaders.SOURCE_OFFSET, slot.record.offset());
    }
    ProducerRecord<byte[], byte[]> dl =
        new ProducerRecord<>(options.dlqTopic(), null, r.key(), r.value(), h);
    return truncate(dl, r.value() == null ? 0 : r.value().length, 0);
  }

  private static String abbreviate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max) + "...";
  }
}
