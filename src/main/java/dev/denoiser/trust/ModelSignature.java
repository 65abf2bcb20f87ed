package dev.denoiser.trust;

import dev.denoiser.model.ModelCard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * An Ed25519 signature of one model version, as the file {@code model.sig} beside {@code card.json}
 * and as the signature block of a models-topic envelope: {@code {"algorithm":"Ed25519","keyId":"<16
 * hex>","signature":"<base64>"}}.
 *
 * <p>What is signed ({@link #payload}): the line {@code stream-denoiser model signature v1}, the
 * card as JSON with its keys sorted (so every field the service reads, name and version included,
 * is covered, however the file was formatted), and the sha256 of the exact ONNX bytes, each
 * followed by a newline.
 */
public record ModelSignature(String keyId, byte[] signature) {
  public static final String FILE = "model.sig";
  static final String HEADER = "stream-denoiser model signature v1\n";

  public JsonObject toJson() {
    return new JsonObject()
        .put("algorithm", SigningKeys.ALGORITHM)
        .put("keyId", keyId)
        .put("signature", Base64.getEncoder().encodeToString(signature));
  }

  public byte[] encode() {
    return (toJson().encodePrettily() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads the JSON form.
   *
   * @throws IllegalArgumentException when it is not one
   */
  public static ModelSignature decode(byte[] bytes) {
    JsonObject j;
    try {
      j = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the signature is not JSON");
    }
    if (!SigningKeys.ALGORITHM.equals(j.getValue("algorithm"))
        || !(j.getValue("keyId") instanceof String id)
        || !(j.getValue("signature") instanceof String sig)) {
      throw new IllegalArgumentException(
          "the signature must have algorithm Ed25519, a keyId and a signature");
    }
    return new ModelSignature(id, Base64.getDecoder().decode(sig));
  }

  /** The bytes an Ed25519 signature of {@code card} with model bytes {@code onnx} covers. */
  public static byte[] payload(ModelCard card, byte[] onnx) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(HEADER.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(sorted(card.toJson()).encode().getBytes(StandardCharsets.UTF_8));
    out.write('\n');
    out.writeBytes(sha256(onnx).getBytes(StandardCharsets.US_ASCII));
    out.write('\n');
    return out.toByteArray();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject sorted(JsonObject j) {
    Map<String, Object> m = new TreeMap<>();
    j.forEach(e -> m.put(e.getKey(), sortedValue(e.getValue())));
    return new JsonObject(new java.util.LinkedHashMap<>(m));
  }

  private static Object sortedValue(Object v) {
    if (v instanceof JsonObject o) {
      return sorted(o);
    }
    if (v instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(x -> out.add(sortedValue(x)));
      return out;
    }
    return v;
  }
}
