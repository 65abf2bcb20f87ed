package dev.denoiser.websocket;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * One binary reply of {@code /v1/stream}: a 48-byte little-endian header, the latent code if asked
 * for, the frame id if the client sent one, then the denoised frame in the connection's format.
 *
 * <pre>
 * offset type  field
 *  0     u8[2] magic "DN"
 *  2     u8    layout version (1)
 *  3     u8    flags: 1 = latent present, 2 = frame id present, 4 = noise sigma present
 *  4     u16   payloadOffset: where the frame starts (a multiple of 4)
 *  6     u16   latentDim: floats of latent code at offset 48 (0 when not asked for)
 *  8     u32   seq: the sequence number of the request message (0, 1, 2, ... per connection)
 * 12     u32   dropped: frames dropped so far on this connection (live mode)
 * 16     u32   width
 * 20     u32   height
 * 24     i64   modelVersion
 * 32     u32   queueMicros: time in the batcher's queue
 * 36     u32   computeMicros: ONNX Runtime time of the whole batch
 * 40     u32   serverMicros: receipt of the message to sending of the reply
 * 44     u16   batchSize
 * 46     u16   frameIdBytes: UTF-8 frame id length
 * 48     f32[latentDim] latent, then frameIdBytes of id, zero-padded to a multiple of 4, then
 *              (flag 4) f32 noiseSigma: the input's estimated noise, 0-255 scale
 * </pre>
 *
 * <p>Readers that do not know flag 4 skip the sigma, since they find the frame at payloadOffset.
 *
 * <pre>
 * payloadOffset .. end: the denoised frame (png, gray8 or float32, as the connection's format)
 * </pre>
 */
public record StreamReply(
    long seq,
    long dropped,
    int width,
    int height,
    long modelVersion,
    long queueMicros,
    long computeMicros,
    long serverMicros,
    int batchSize,
    float[] latent,
    String frameId,
    byte[] payload,
    double noiseSigma) {

  public static final int HEADER_BYTES = 48;
  public static final int VERSION = 1;
  static final int FLAG_LATENT = 1;
  static final int FLAG_ID = 2;
  static final int FLAG_NOISE = 4;

  /** A reply without a noise estimate. */
  public StreamReply(
      long seq,
      long dropped,
      int width,
      int height,
      long modelVersion,
      long queueMicros,
      long computeMicros,
      long serverMicros,
      int batchSize,
      float[] latent,
      String frameId,
      byte[] payload) {
    this(
        seq,
        dropped,
        width,
        height,
        modelVersion,
        queueMicros,
        computeMicros,
        serverMicros,
        batchSize,
        latent,
        frameId,
        payload,
        Double.NaN);
  }

  /** The wire form of this reply. */
  public Buffer encode() {
    byte[] id = frameId == null ? new byte[0] : frameId.getBytes(StandardCharsets.UTF_8);
    int dim = latent == null ? 0 : latent.length;
    boolean noise = Double.isFinite(noiseSigma);
    int idEnd = align4(HEADER_BYTES + 4 * dim + id.length);
    int payloadOffset = idEnd + (noise ? 4 : 0);
    Buffer b = Buffer.buffer(payloadOffset + payload.length);
    b.appendByte((byte) 'D')
        .appendByte((byte) 'N')
        .appendUnsignedByte((short) VERSION)
        .appendUnsignedByte(
            (short)
                ((latent != null ? FLAG_LATENT : 0)
                    | (frameId != null ? FLAG_ID : 0)
                    | (noise ? FLAG_NOISE : 0)))
        .appendUnsignedShortLE(payloadOffset)
        .appendUnsignedShortLE(dim)
        .appendUnsignedIntLE(seq)
        .appendUnsignedIntLE(dropped)
        .appendUnsignedIntLE(width)
        .appendUnsignedIntLE(height)
        .appendLongLE(modelVersion)
        .appendUnsignedIntLE(clampU32(queueMicros))
        .appendUnsignedIntLE(clampU32(computeMicros))
        .appendUnsignedIntLE(clampU32(serverMicros))
        .appendUnsignedShortLE(Math.min(batchSize, 0xffff))
        .appendUnsignedShortLE(id.length);
    for (int i = 0; i < dim; i++) {
      b.appendFloatLE(latent[i]);
    }
    b.appendBytes(id);
    while (b.length() < idEnd) {
      b.appendByte((byte) 0);
    }
    if (noise) {
      b.appendFloatLE((float) noiseSigma);
    }
    return b.appendBytes(payload);
  }

  /** Reads a reply; throws IllegalArgumentException if it is not one. */
  public static StreamReply parse(Buffer b) {
    if (b.length() < HEADER_BYTES
        || b.getByte(0) != 'D'
        || b.getByte(1) != 'N'
        || b.getUnsignedByte(2) != VERSION) {
      throw new IllegalArgumentException("not a stream reply (bad magic or version)");
    }
    int flags = b.getUnsignedByte(3);
    int payloadOffset = b.getUnsignedShortLE(4);
    int dim = b.getUnsignedShortLE(6);
    int idBytes = b.getUnsignedShortLE(46);
    float[] latent = null;
    if ((flags & FLAG_LATENT) != 0) {
      latent = new float[dim];
      for (int i = 0; i < dim; i++) {
        latent[i] = b.getFloatLE(HEADER_BYTES + 4 * i);
      }
    }
    int idAt = HEADER_BYTES + 4 * dim;
    String id = (flags & FLAG_ID) != 0 ? b.getString(idAt, idAt + idBytes, "UTF-8") : null;
    double sigma = (flags & FLAG_NOISE) != 0 ? b.getFloatLE(align4(idAt + idBytes)) : Double.NaN;
    return new StreamReply(
        b.getUnsignedIntLE(8),
        b.getUnsignedIntLE(12),
        (int) b.getUnsignedIntLE(16),
        (int) b.getUnsignedIntLE(20),
        b.getLongLE(24),
        b.getUnsignedIntLE(32),
        b.getUnsignedIntLE(36),
        b.getUnsignedIntLE(40),
        b.getUnsignedShortLE(44),
        latent,
        id,
        b.getBytes(payloadOffset, b.length()),
        sigma);
  }

  private static int align4(int n) {
    return (n + 3) & ~3;
  }

  private static long clampU32(long v) {
    return Math.max(0, Math.min(v, 0xffffffffL));
  }
}
