package dev.denoiser.trust;

import dev.denoiser.model.ModelCard;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a model version may be installed: its signature must be an Ed25519 signature, by
 * one of the trusted keys, of its card and its exact ONNX bytes. With {@code
 * models.signature.required=false} ({@link #notRequired}) every model passes; use that for tools
 * and tests only.
 */
public final class ModelVerifier {
  /** Why a model was refused: a {@link #reason} tag for the metrics and a one-line message. */
  public static final class Refused extends Exception {
    private final String reason;

    Refused(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    /** {@code unsigned}, {@code untrusted_key} or {@code bad_signature}. */
    public String reason() {
      return reason;
    }
  }

  private final boolean required;
  private final Map<String, PublicKey> trusted = new LinkedHashMap<>();

  public ModelVerifier(boolean required, Collection<PublicKey> keys) {
    this.required = required;
    keys.forEach(k -> trusted.put(SigningKeys.keyId(k), k));
  }

  /** Accepts every model, signed or not. */
  public static ModelVerifier notRequired() {
    return new ModelVerifier(false, Set.of());
  }

  public boolean required() {
    return required;
  }

  /** The ids of the trusted keys. */
  public Set<String> keyIds() {
    return trusted.keySet();
  }

  /**
   * Checks {@code signature} (null: none) of {@code card} + {@code onnx}.
   *
   * @throws Refused when signatures are required and this one is missing, by an untrusted key, or
   *     wrong
   */
  public void verify(ModelCard card, byte[] onnx, ModelSignature signature) throws Refused {
    if (!required) {
      return;
    }
    if (signature == null) {
      throw new Refused(
          "unsigned", "no " + ModelSignature.FILE + " and models.signature.required is on");
    }
    PublicKey key = trusted.get(signature.keyId());
    if (key == null) {
      throw new Refused(
          "untrusted_key", "signed by key " + signature.keyId() + ", which is not trusted");
    }
    boolean ok;
    try {
      Signature s = Signature.getInstance(SigningKeys.ALGORITHM);
      s.initVerify(key);
      s.update(ModelSignature.payload(card, onnx));
      ok = s.verify(signature.signature());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      ok = false;
    }
    if (!ok) {
      throw new Refused(
          "bad_signature",
          "the signature by key " + signature.keyId() + " does not match the card and model bytes");
    }
  }
}
