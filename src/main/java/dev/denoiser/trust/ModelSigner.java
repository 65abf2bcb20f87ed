package dev.denoiser.trust;

import dev.denoiser.model.ModelCard;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;

/**
 * Signs model versions with one Ed25519 private key (what the trainer distributes, the keygen'd key
 * of sign).
 */
public final class ModelSigner {
  private final KeyPair pair;
  private final String keyId;

  public ModelSigner(KeyPair pair) {
    this.pair = pair;
    this.keyId = SigningKeys.keyId(pair.getPublic());
  }

  public String keyId() {
    return keyId;
  }

  public KeyPair keyPair() {
    return pair;
  }

  /** The signature of {@code card} with model bytes {@code onnx}. */
  public ModelSignature sign(ModelCard card, byte[] onnx) {
    try {
      Signature s = Signature.getInstance(SigningKeys.ALGORITHM);
      s.initSign(pair.getPrivate());
      s.update(ModelSignature.payload(card, onnx));
      return new ModelSignature(keyId, s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot sign with " + SigningKeys.ALGORITHM + ": " + e.getMessage(), e);
    }
  }
}
