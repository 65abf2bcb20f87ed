package dev.denoiser.kafka.ingest;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.Frame;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.frame.MediaType;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.kafka.publish.FrameRequest;
import dev.denoiser.source.FrameCost;
import dev.denoiser.source.FrameGate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Turns an input record into a {@link FrameRequest}, or refuses it with a typed {@link
 * DenoiserException} (which sends it to the dead-letter topic): an empty value, a missing or
 * unknown {@code content-type}, a raw frame without a numeric {@code width}/{@code height}, bytes
 * that do not decode or do not match the size, a frame over {@code frame.maxPixels}, an unknown
 * {@code model}, or a shape the model cannot take.
 */
public final class RecordDecoder {
  private final FrameGate gate;

  RecordDecoder(FrameGate gate) {
    this.gate = gate;
  }

  FrameRequest decode(ConsumerRecord<byte[], byte[]> r) {
    Frame frame = frame(gate.codec(), r);
    MediaType type = MediaType.parse(KafkaHeaders.text(r.headers(), KafkaHeaders.CONTENT_TYPE));
    String model = KafkaHeaders.text(r.headers(), KafkaHeaders.MODEL);
    model = model == null || model.isBlank() ? null : model.trim();
    gate.admit(frame, model);
    return new FrameRequest(frame, model, type);
  }

  /**
   * What decoding the record will cost in memory ({@link FrameCost}), from its headers and the
   * image header, before it is decoded.
   *
   * @throws DenoiserException for a size over {@code frame.maxPixels} or a bad content type
   */
  long cost(ConsumerRecord<byte[], byte[]> r) {
    byte[] value = r.value();
    if (value == null || value.length == 0) {
      return 0;
    }
    Headers h = r.headers();
    MediaType type = MediaType.parse(KafkaHeaders.text(h, KafkaHeaders.CONTENT_TYPE));
    Integer width = type.raw() ? KafkaHeaders.integer(h, KafkaHeaders.WIDTH) : null;
    Integer height = type.raw() ? KafkaHeaders.integer(h, KafkaHeaders.HEIGHT) : null;
    return FrameCost.estimate(gate.codec(), type, value, width, height);
  }

  /**
   * The frame of a record in the input format (value = image bytes, {@code content-type}, {@code
   * width}/{@code height} for raw formats, optional {@code frame-id}); also used for the trainer's
   * reference frames.
   *
   * @throws DenoiserException INVALID_FRAME, UNSUPPORTED_MEDIA_TYPE or PAYLOAD_TOO_LARGE
   */
  public static Frame frame(FrameCodec codec, ConsumerRecord<?, byte[]> r) {
    Headers h = r.headers();
    byte[] value = r.value();
    if (value == null || value.length == 0) {
      throw new DenoiserException(ErrorCode.INVALID_FRAME, "record has no value");
    }
    MediaType type = MediaType.parse(KafkaHeaders.text(h, KafkaHeaders.CONTENT_TYPE));
    Integer width = type.raw() ? KafkaHeaders.integer(h, KafkaHeaders.WIDTH) : null;
    Integer height = type.raw() ? KafkaHeaders.integer(h, KafkaHeaders.HEIGHT) : null;
    if (type.raw() && (width == null || height == null)) {
      throw new DenoiserException(
          ErrorCode.INVALID_FRAME,
          type.mime()
              + " records need '"
              + KafkaHeaders.WIDTH
              + "' and '"
              + KafkaHeaders.HEIGHT
              + "' headers");
    }
    return codec.decode(
        type,
        value,
        width,
        height,
        KafkaHeaders.keyText(r.key()),
        KafkaHeaders.text(h, KafkaHeaders.FRAME_ID));
  }
}
