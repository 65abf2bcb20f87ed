package dev.denoiser.frame;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Bytes to {@link Frame} and back, for every {@link MediaType}, with the checks a service needs
 * before anything reaches a model: the declared size must be positive and under the pixel limit,
 * the byte length must match it, PNGs must decode, floats must be finite. Every failure is a {@link
 * DenoiserException} with a one-line message.
 */
public final class FrameCodec {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private final long maxPixels;

  public FrameCodec(long maxPixels) {
    this.maxPixels = maxPixels;
  }

  public long maxPixels() {
    return maxPixels;
  }

  /**
   * Decodes one frame. {@code width}/{@code height} are required for raw formats and ignored for
   * PNG (the PNG header has them).
   */
  public Frame decode(
      MediaType type,
      byte[] bytes,
      Integer width,
      Integer height,
      String streamId,
      String frameId) {
    return switch (type) {
      case PNG -> decodePng(bytes, streamId, frameId);
      case JPEG -> decodeJpeg(bytes, streamId, frameId);
      case GRAY8 -> decodeGray8(bytes, requireSize(width, height), streamId, frameId);
      case RGB8 -> decodeRgb8(bytes, requireSize(width, height), streamId, frameId);
      case FLOAT32 -> decodeFloat32(bytes, requireSize(width, height), streamId, frameId);
    };
  }

  public Frame decode(
      String contentType,
      byte[] bytes,
      Integer width,
      Integer height,
      String streamId,
      String frameId) {
    return decode(MediaType.parse(contentType), bytes, width, height, streamId, frameId);
  }

  /** Largest Java array: a frame's float planes (three for colour) must fit in one. */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  /**
   * Checks a declared size against the limits; returns {height, width}. Products are computed
   * without overflow (a PNG may declare 0xFFFFFFFF x 0xFFFFFFFF), and the three planes of a colour
   * frame must fit in one array whatever {@code frame.maxPixels} says.
   */
  public int[] checkSize(long height, long width) {
    if (height <= 0 || width <= 0) {
      throw DenoiserException.of(
          ErrorCode.INVALID_FRAME, "frame size must be positive, got %dx%d", height, width);
    }
    long pixels = pixels(height, width);
    if (pixels > maxPixels || pixels > MAX_ARRAY / 3) {
      throw DenoiserException.of(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "frame of %dx%d = %s pixels is over the limit of %d pixels",
          height,
          width,
          pixels == Long.MAX_VALUE ? "more than 2^63" : Long.toString(pixels),
          Math.min(maxPixels, MAX_ARRAY / 3));
    }
    return new int[] {(int) height, (int) width};
  }

  /** {@code a * b}, or {@link Long#MAX_VALUE} when that overflows; for positive factors. */
  public static long pixels(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private int[] requireSize(Integer width, Integer height) {
    if (width == null || height == null) {
      throw new DenoiserException(ErrorCode.INVALID_FRAME, "raw frames need a width and a height");
    }
    return checkSize(height, width);
  }

  private Frame decodeGray8(byte[] bytes, int[] hw, String streamId, String frameId) {
    int n = hw[0] * hw[1];
    if (bytes.length != n) {
      throw DenoiserException.of(
          ErrorCode.INVALID_FRAME,
          "gray8 frame of %dx%d needs %d bytes, got %d",
          hw[0],
          hw[1],
          n,
          bytes.length);
    }
    float[] px = new float[n];
    for (int i = 0; i < n; i++) {
      px[i] = (bytes[i] & 0xff) / 255f;
    }
    return new Frame(px, hw[0], hw[1], streamId, frameId);
  }

  private Frame decodeFloat32(byte[] bytes, int[] hw, String streamId, String frameId) {
    long n = (long) hw[0] * hw[1];
    if (bytes.length != n * 4 && bytes.length != n * 12) {
      throw DenoiserException.of(
          ErrorCode.INVALID_FRAME,
          "float32 frame of %dx%d needs %d bytes (gray) or %d (RGB planes), got %d",
          hw[0],
          hw[1],
          n * 4,
          n * 12,
          bytes.length);
    }
    float[] px = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(px);
    return fromFloats(px, hw[0], hw[1], streamId, frameId);
  }

  /**
   * Wraps float pixels as a frame after checking them: NaN and infinities are refused, values
   * outside [0,1] are clipped. Takes ownership of {@code px}.
   */
  public Frame fromFloats(float[] px, int height, int width, String streamId, String frameId) {
    checkSize(height, width);
    long n = (long) height * width;
    if (px.length != n && px.length != 3 * n) {
      throw DenoiserException.of(
          ErrorCode.INVALID_FRAME,
          "frame of %dx%d needs %d values (gray) or %d (RGB planes), got %d",
          height,
          width,
          n,
          3 * n,
          px.length);
    }
    for (int i = 0; i < px.length; i++) {
      float v = px[i];
      if (!Float.isFinite(v)) {
        throw DenoiserException.of(
            ErrorCode.INVALID_FRAME,
            "pixel %d (row %d, column %d) is %s",
            i,
            i / width,
            i % width,
            Float.isNaN(v) ? "NaN" : "infinite");
      }
      if (v < 0f) {
        px[i] = 0f;
      } else if (v > 1f) {
        px[i] = 1f;
      }
    }
    return new Frame(px, height, width, streamId, frameId, px.length == n ? 1 : 3);
  }

  private Frame decodePng(byte[] bytes, String streamId, String frameId) {
    // Read the size from the IHDR chunk before decoding, so a 100000x100000 header is refused
    // without allocating anything.
    if (bytes.length < 24 || !startsWith(bytes, PNG_MAGIC)) {
      throw new DenoiserException(ErrorCode.INVALID_FRAME, "not a PNG image (bad signature)");
    }
    ByteBuffer hdr = ByteBuffer.wrap(bytes, 16, 8).order(ByteOrder.BIG_ENDIAN);
    long w = Integer.toUnsignedLong(hdr.getInt());
    long h = Integer.toUnsignedLong(hdr.getInt());
    checkSize(h, w);
    return Images.decode(bytes, "png", this::checkSize, streamId, frameId);
  }

  private Frame decodeJpeg(byte[] bytes, String streamId, String frameId) {
    if (bytes.length < 4 || (bytes[0] & 0xff) != 0xff || (bytes[1] & 0xff) != 0xd8) {
      throw new DenoiserException(ErrorCode.INVALID_FRAME, "not a JPEG image (bad signature)");
    }
    return Images.decode(bytes, "jpeg", this::checkSize, streamId, frameId);
  }

  private Frame decodeRgb8(byte[] bytes, int[] hw, String streamId, String frameId) {
    int n = hw[0] * hw[1];
    if (bytes.length != 3L * n) {
      throw DenoiserException.of(
          ErrorCode.INVALID_FRAME,
          "rgb8 frame of %dx%d needs %d bytes, got %d",
          hw[0],
          hw[1],
          3L * n,
          bytes.length);
    }
    float[] px = new float[3 * n];
    for (int i = 0; i < n; i++) {
      px[i] = (bytes[3 * i] & 0xff) / 255f;
      px[n + i] = (bytes[3 * i + 1] & 0xff) / 255f;
      px[2 * n + i] = (bytes[3 * i + 2] & 0xff) / 255f;
    }
    return new Frame(px, hw[0], hw[1], streamId, frameId, 3);
  }

  /** Encodes a frame's pixels in {@code type}; raw formats carry no size (send it beside). */
  public static byte[] encode(Frame f, MediaType type) {
    return switch (type) {
      case PNG -> Images.encodePng(f);
      case JPEG -> Images.encodeJpeg(f, 0.95f);
      case GRAY8 -> toGray8(f.channels() == 1 ? f.pixels() : luma(f));
      case RGB8 -> toRgb8(f);
      case FLOAT32 -> toFloat32(f.pixels());
    };
  }

  public static byte[] toGray8(float[] px) {
    byte[] out = new byte[px.length];
    for (int i = 0; i < px.length; i++) {
      out[i] = (byte) toByte(px[i]);
    }
    return out;
  }

  public static byte[] toFloat32(float[] px) {
    ByteBuffer bb = ByteBuffer.allocate(px.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bb.asFloatBuffer().put(px);
    return bb.array();
  }

  /** BT.601 luma of a colour frame's planes. */
  public static float[] luma(Frame f) {
    int n = f.height() * f.width();
    float[] px = f.pixels();
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = 0.299f * px[i] + 0.587f * px[n + i] + 0.114f * px[2 * n + i];
    }
    return out;
  }

  /** Interleaved 8-bit RGB; a gray frame gets R = G = B. */
  public static byte[] toRgb8(Frame f) {
    int n = f.height() * f.width();
    float[] px = f.pixels();
    int g = f.channels() == 3 ? n : 0;
    byte[] out = new byte[3 * n];
    for (int i = 0; i < n; i++) {
      out[3 * i] = (byte) toByte(px[i]);
      out[3 * i + 1] = (byte) toByte(px[g + i]);
      out[3 * i + 2] = (byte) toByte(px[2 * g + i]);
    }
    return out;
  }

  static int toByte(float v) {
    int b = Math.round(v * 255f);
    return b < 0 ? 0 : Math.min(b, 255);
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (b[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
