package dev.denoiser.trust;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.model.ModelCard;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust of one process: the public keys it trusts ({@code models.signature.trustedKeys} plus
 * its own), its own key pair (which signs what its trainer promotes), and the first-start rule.
 *
 * <p>Own key pair: kept in {@code models.signature.keyDir}; when that setting is empty, in {@code
 * keys/} beside the embedded broker's data directory when the embedded broker runs (the demo:
 * {@code data/keys}), else in memory for the life of the process. When none is stored yet (or it
 * cannot be stored, or it lives in memory) this start is a <em>first start</em>: a new pair is
 * made, and with {@code models.signature.trustLocalOnFirstStart} the models already in {@code
 * models.dir} (real directories named as their card, sha256 matching) are signed with it: {@code
 * model.sig} is written beside them, or, in a read-only directory, kept in memory.
 */
public final class ModelTrust {
  private static final Logger LOG = LoggerFactory.getLogger(ModelTrust.class);

  /** Largest model file read for signing or checking. */
  public static final long MAX_MODEL_BYTES = 2L << 30;

  private final ModelVerifier verifier;
  private final ModelSigner signer;
  private final boolean firstStart;
  private final Map<String, ModelSignature> inMemory = new ConcurrentHashMap<>();

  private ModelTrust(ModelVerifier verifier, ModelSigner signer, boolean firstStart) {
    this.verifier = verifier;
    this.signer = signer;
    this.firstStart = firstStart;
  }

  public ModelVerifier verifier() {
    return verifier;
  }

  public ModelSigner signer() {
    return signer;
  }

  public boolean firstStart() {
    return firstStart;
  }

  /**
   * A signature made at first start for a model directory that could not take a {@code model.sig}.
   */
  public ModelSignature remembered(String name) {
    return inMemory.get(name);
  }

  /**
   * Opens (or, at a first start, makes) this process's key pair, reads the trusted keys, and signs
   * the models of {@code models.dir} when this is a first start and the setting allows it.
   *
   * @throws IllegalArgumentException for a trusted key that cannot be read, or a stored key pair
   *     that is unreadable or readable by others
   */
  public static ModelTrust open(Settings s) {
    List<PublicKey> keys = new ArrayList<>();
    for (String k : s.getString(Setting.MODELS_TRUSTED_KEYS).split(",")) {
      if (!k.isBlank()) {
        try {
          keys.add(SigningKeys.publicKey(k));
        } catch (IOException e) {
          throw new IllegalArgumentException(
              Setting.MODELS_TRUSTED_KEYS.key() + ": " + e.getMessage());
        }
      }
    }
    Path keyDir = keyDir(s);
    KeyPair pair;
    boolean first;
    if (keyDir != null && SigningKeys.exists(keyDir)) {
      try {
        pair = SigningKeys.read(keyDir);
      } catch (IOException e) {
        throw new IllegalArgumentException(Setting.MODELS_KEY_DIR.key() + ": " + e.getMessage());
      }
      first = false;
      LOG.info("model signing key {} from {}", SigningKeys.keyId(pair.getPublic()), keyDir);
    } else {
      pair = SigningKeys.generate();
      first = true;
      if (keyDir == null) {
        LOG.info(
            "model signing key {} made for this process only (set {} to keep one)",
            SigningKeys.keyId(pair.getPublic()),
            Setting.MODELS_KEY_DIR.key());
      } else {
        try {
          SigningKeys.write(keyDir, pair);
          LOG.info(
              "model signing key {} made and stored in {} (first start)",
              SigningKeys.keyId(pair.getPublic()),
              keyDir);
        } catch (IOException e) {
          LOG.warn(
              "cannot store the model signing key in {} ({}); it lives in memory, so every start is a first start",
              keyDir,
              e.toString());
        }
      }
    }
    keys.add(pair.getPublic());
    ModelVerifier verifier =
        new ModelVerifier(s.getBoolean(Setting.MODELS_SIGNATURE_REQUIRED), keys);
    ModelTrust trust = new ModelTrust(verifier, new ModelSigner(pair), first);
    if (first && s.getBoolean(Setting.MODELS_TRUST_FIRST_START)) {
      trust.signLocalModels(Path.of(s.getString(Setting.MODELS_DIR)));
    }
    return trust;
  }

  /** Where the key pair is kept, or null: in memory only. */
  static Path keyDir(Settings s) {
    String configured = s.getString(Setting.MODELS_KEY_DIR).trim();
    if (!configured.isEmpty()) {
      return Path.of(configured);
    }
    boolean embedded =
        s.getBoolean(Setting.KAFKA_ENABLED)
            && s.getString(Setting.KAFKA_BOOTSTRAP_SERVERS).isBlank();
    if (!embedded) {
      return null;
    }
    Path data = Path.of(s.getString(Setting.KAFKA_EMBEDDED_DIR)).toAbsolutePath().getParent();
    return data == null ? null : data.resolve("keys");
  }

  /**
   * Signs every model of {@code root} that has no valid signature of a trusted key; returns how
   * many.
   */
  int signLocalModels(Path root) {
    if (!SafeFiles.isRealDirectory(root)) {
      return 0;
    }
    List<Path> dirs;
    try (Stream<Path> st = Files.list(root)) {
      dirs = st.filter(SafeFiles::isRealDirectory).sorted().toList();
    } catch (IOException e) {
      return 0;
    }
    int n = 0;
    for (Path dir : dirs) {
      try {
        byte[] cardBytes = SafeFiles.read(dir.resolve(ModelCard.FILE), 1 << 20);
        ModelCard card =
            ModelCard.fromJson(new JsonObject(new String(cardBytes, StandardCharsets.UTF_8)));
        byte[] onnx = SafeFiles.read(dir.resolve(ModelCard.MODEL_FILE), MAX_MODEL_BYTES);
        if (!dir.getFileName().toString().equals(card.name())
            || card.sha256() == null
            || !card.sha256().equalsIgnoreCase(ModelSignature.sha256(onnx))) {
          continue; // the loader refuses it with the reason
        }
        if (validSignature(dir, card, onnx)) {
          continue;
        }
        ModelSignature sig = signer.sign(card, onnx);
        try {
          Files.write(dir.resolve(ModelSignature.FILE), sig.encode());
        } catch (IOException e) {
          inMemory.put(card.name(), sig);
        }
        n++;
      } catch (IOException | RuntimeException e) {
        // not a model directory, or an unreadable one: nothing to sign
      }
    }
    if (n > 0) {
      LOG.warn(
          "first start: trusted and signed the {} model(s) found in {} with key {} ({}=true)",
          n,
          root,
          signer.keyId(),
          Setting.MODELS_TRUST_FIRST_START.key());
    }
    return n;
  }

  private boolean validSignature(Path dir, ModelCard card, byte[] onnx) {
    try {
      verifier.verify(
          card,
          onnx,
          ModelSignature.decode(SafeFiles.read(dir.resolve(ModelSignature.FILE), 1 << 16)));
      return verifier.required();
    } catch (IOException | RuntimeException | ModelVerifier.Refused e) {
      return false;
    }
  }
}
