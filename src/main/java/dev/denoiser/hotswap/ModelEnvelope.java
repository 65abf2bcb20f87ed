package dev.denoiser.hotswap;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.model.ModelCard;
import dev.denoiser.trust.ModelSignature;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The value of a record on the models topic: one model version, card and ONNX bytes together.
 *
 * <pre>
 * offset 0      4 bytes  magic "DNME"
 * offset 4      1 byte   layout version, 1
 * offset 5      4 bytes  card length L, unsigned big-endian
 * offset 9      L bytes  card.json, UTF-8 (name, version, sha256 of the model bytes, ...)
 * offset 9 + L  rest     model.onnx
 * </pre>
 *
 * Layout 2 adds the model's Ed25519 signature ({@link ModelSignature}, JSON) after the card:
 *
 * <pre>
 * offset 4          1 byte   layout version, 2
 * offset 9 + L      4 bytes  signature length S, unsigned big-endian
 * offset 13 + L     S bytes  model.sig, UTF-8 JSON
 * offset 13 + L + S rest     model.onnx
 * </pre>
 *
 * An envelope without a signature (layout 1) is still read; a replica that requires signatures
 * refuses its model.
 *
 * <p>The record key is the model name; headers {@code content-type: application/x-denoiser-model},
 * {@code model}, {@code model-version} and {@code sha256} repeat the card for tools such as kcat.
 * Decoding checks only the framing; the registry checks the model itself.
 */
public record ModelEnvelope(ModelCard card, byte[] onnx, ModelSignature signature) {
  public static final String CONTENT_TYPE = "application/x-denoiser-model";
  public static final String SHA256_HEADER = "sha256";
  static final byte[] MAGIC = "DNME".getBytes(StandardCharsets.US_ASCII);
  static final int LAYOUT = 1;
  static final int SIGNED_LAYOUT = 2;
  private static final int HEAD = 9;
  private static final int MAX_SIGNATURE_BYTES = 1 << 12;

  /** An unsigned envelope. */
  public ModelEnvelope(ModelCard card, byte[] onnx) {
    this(card, onnx, null);
  }

  public byte[] encode() {
    byte[] json = card.toJson().encode().getBytes(StandardCharsets.UTF_8);
    if (signature == null) {
      ByteBuffer b = ByteBuffer.allocate(HEAD + json.length + onnx.length);
      b.put(MAGIC).put((byte) LAYOUT).putInt(json.length).put(json).put(onnx);
      return b.array();
    }
    byte[] sig = signature.encode();
    ByteBuffer b = ByteBuffer.allocate(HEAD + json.length + 4 + sig.length + onnx.length);
    b.put(MAGIC)
        .put((byte) SIGNED_LAYOUT)
        .putInt(json.length)
        .put(json)
        .putInt(sig.length)
        .put(sig)
        .put(onnx);
    return b.array();
  }

  /**
   * Reads an envelope.
   *
   * @throws DenoiserException MODEL_REJECTED when the bytes are not an envelope of layout 1 with a
   *     readable card that names a model and a version
   */
  public static ModelEnvelope decode(byte[] value) {
    if (value == null || value.length < HEAD) {
      throw bad(
          "too short to be a model envelope (" + (value == null ? 0 : value.length) + " bytes)");
    }
    if (!Arrays.equals(value, 0, 4, MAGIC, 0, 4)) {
      throw bad("no DNME magic: not a model envelope");
    }
    if (value[4] != LAYOUT && value[4] != SIGNED_LAYOUT) {
      throw bad(
          "envelope layout "
              + value[4]
              + " is not supported (this build reads "
              + LAYOUT
              + " and "
              + SIGNED_LAYOUT
              + ")");
    }
    long len = ByteBuffer.wrap(value, 5, 4).getInt() & 0xFFFFFFFFL;
    if (len > value.length - HEAD) {
      throw bad(
          "card length " + len + " runs past the end of the " + value.length + "-byte envelope");
    }
    ModelCard card;
    try {
      card =
          ModelCard.fromJson(
              new JsonObject(new String(value, HEAD, (int) len, StandardCharsets.UTF_8)));
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      throw bad("the card is not valid JSON with a name and an architecture");
    }
    if (card.version() < 1) {
      throw bad("the card's version must be 1 or more, got " + card.version());
    }
    int at = HEAD + (int) len;
    ModelSignature sig = null;
    if (value[4] == SIGNED_LAYOUT) {
      if (value.length - at < 4) {
        throw bad("no room for the signature length");
      }
      long slen = ByteBuffer.wrap(value, at, 4).getInt() & 0xFFFFFFFFL;
      if (slen > MAX_SIGNATURE_BYTES || slen > value.length - at - 4) {
        throw bad("signature length " + slen + " is too large or runs past the end");
      }
      try {
        sig = ModelSignature.decode(Arrays.copyOfRange(value, at + 4, at + 4 + (int) slen));
      } catch (IllegalArgumentException e) {
        throw bad(e.getMessage());
      }
      at += 4 + (int) slen;
    }
    return new ModelEnvelope(card, Arrays.copyOfRange(value, at, value.length), sig);
  }

  private static DenoiserException bad(String reason) {
    return new DenoiserException(ErrorCode.MODEL_REJECTED, "model envelope rejected: " + reason);
  }
}
