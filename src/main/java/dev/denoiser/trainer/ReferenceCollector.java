package dev.denoiser.trainer;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.frame.Frame;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.kafka.ingest.RecordDecoder;
import java.io.IOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a record of the reference topic into a frame of the {@link ReferenceBuffer}. Records are
 * encoded like {@code frames.noisy} (value = image bytes; {@code content-type} image/png,
 * application/x-gray8 or application/x-float32, with {@code width}/{@code height} for the raw ones)
 * and must be 28x28. Pixels are stored as 8-bit gray.
 */
final class ReferenceCollector {
  private final FrameCodec codec;
  private final ReferenceBuffer buffer;

  ReferenceCollector(FrameCodec codec, ReferenceBuffer buffer) {
    this.codec = codec;
    this.buffer = buffer;
  }

  ReferenceBuffer buffer() {
    return buffer;
  }

  /**
   * Decodes and adds one record.
   *
   * @throws DenoiserException with the reason the frame was refused
   */
  void add(ConsumerRecord<String, byte[]> r) throws IOException {
    Frame f = RecordDecoder.frame(codec, r);
    if (f.height() != ReferenceBuffer.SIZE || f.width() != ReferenceBuffer.SIZE) {
      throw new DenoiserException(
          ErrorCode.UNSUPPORTED_SHAPE,
          "reference frames must be 28x28, got " + f.height() + "x" + f.width());
    }
    float[] px = f.pixels();
    byte[] gray = new byte[px.length];
    for (int i = 0; i < px.length; i++) {
      gray[i] = (byte) Math.round(Math.max(0f, Math.min(1f, px[i])) * 255f);
    }
    buffer.add(gray);
  }
}
