package dev.denoiser.websocket;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The optional frame-id header of a client message ({@code ids=true} on the URL): one unsigned byte
 * {@code n} (0-255), then {@code n} bytes of UTF-8 frame id, then the frame bytes. {@code n = 0}
 * means no id. The message is still exactly one frame.
 */
public final class FrameIdHeader {
  public static final int MAX_ID_BYTES = 255;

  private FrameIdHeader() {}

  /** A message split into its frame id (null when absent) and its frame bytes. */
  public record Split(String frameId, byte[] frame) {}

  /** Splits a client message; without {@code ids} the whole message is the frame. */
  public static Split split(Buffer message, boolean ids) {
    if (!ids) {
      return new Split(null, message.getBytes());
    }
    if (message.length() < 1) {
      throw new DenoiserException(
          ErrorCode.INVALID_FRAME, "empty message: the frame-id header needs at least one byte");
    }
    int n = message.getUnsignedByte(0);
    if (1 + n > message.length()) {
      throw DenoiserException.of(
          ErrorCode.INVALID_FRAME,
          "frame-id header says %d id bytes but the message has only %d bytes",
          n,
          message.length());
    }
    String id = n == 0 ? null : message.getString(1, 1 + n, "UTF-8");
    return new Split(id, message.getBytes(1 + n, message.length()));
  }

  /** Builds a client message: header with {@code frameId} (null: none), then {@code frame}. */
  public static Buffer join(String frameId, byte[] frame) {
    byte[] id = frameId == null ? new byte[0] : frameId.getBytes(StandardCharsets.UTF_8);
    if (id.length > MAX_ID_BYTES) {
      throw new IllegalArgumentException(
          "frame id is " + id.length + " bytes; at most " + MAX_ID_BYTES);
    }
    return Buffer.buffer(1 + id.length + frame.length)
        .appendUnsignedByte((short) id.length)
        .appendBytes(id)
        .appendBytes(frame);
  }
}
