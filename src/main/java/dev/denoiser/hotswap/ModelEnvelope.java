package dev.denoiser.hotswap;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.model.ModelCard;
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
 * The record key is the model name; headers {@code content-type: application/x-denoiser-model},
 * {@code model}, {@code model-version} and {@code sha256} repeat the card for tools such as kcat.
 * Decoding checks only the framing; the registry checks the model itself.
 */
public record ModelEnvelope(ModelCard card, byte[] onnx) {
  public static final String CONTENT_TYPE = "application/x-denoiser-model";
  public static final String SHA256_HEADER = "sha256";
  static final byte[] MAGIC = "DNME".getBytes(StandardCharsets.US_ASCII);
  static final int LAYOUT = 1;
  private static final int HEAD = 9;

  public byte[] encode() {
    byte[] json = card.toJson().encode().getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(HEAD + json.length + onnx.length);
    b.put(MAGIC).put((byte) LAYOUT).putInt(json.length).put(json).put(onnx);
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
      throw bad("too short to be a model envelope (" + (value == null ? 0 : value.length) + " bytes)");
    }
    if (!Arrays.equals(value, 0, 4, MAGIC, 0, 4)) {
      throw bad("no DNME magic: not a model envelope");
    }
    if (value[4] != LAYOUT) {
      throw bad("envelope layout " + value[4] + " is not supported (this build reads " + LAYOUT + ")");
    }
    long len = ByteBuffer.wrap(value, 5, 4).getInt() & 0xFFFFFFFFL;
    if (len > value.length - HEAD) {
      throw bad("card length " + len + " runs past the end of the " + value.length + "-byte envelope");
    }
    ModelCard card;
    try {
      card = ModelCard.fromJson(new JsonObject(new String(value, HEAD, (int) len, StandardCharsets.UTF_8)));
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      throw bad("the card is not valid JSON with a name and an architecture");
    }
    if (card.version() < 1) {
      throw bad("the card's version must be 1 or more, got " + card.version());
    }
    return new ModelEnvelope(card, Arrays.copyOfRange(value, HEAD + (int) len, value.length));
  }

  private static DenoiserException bad(String reason) {
    return new DenoiserException(ErrorCode.MODEL_REJECTED, "model envelope rejected: " + reason);
  }
}
