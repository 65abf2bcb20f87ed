package dev.denoiser.hotswap;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.inference.ModelLoader;
import dev.denoiser.inference.ModelRegistry;
import dev.denoiser.inference.ModelStore;
import dev.denoiser.metrics.ServiceMetrics;
import dev.denoiser.model.ModelCard;
import dev.denoiser.trust.ModelSignature;
import dev.denoiser.trust.ModelTrust;
import dev.denoiser.trust.ModelVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a model version that arrived as bytes (models topic, or a promotion in this process) into
 * this replica: in a serving process the registry loads and checks it from a private staging
 * directory and swaps it in, and only then is it written into {@code models.dir} with {@link
 * ModelStore#publish} (so the directory watcher finds nothing newer and a restart starts from it).
 * A process without a registry (the trainer alone) checks the sha256 and the signature and stores
 * it. The signature ({@code model.sig}) travels with the model: staged beside it, so the registry's
 * loader verifies it, and stored with it. Blocking: call it on a worker thread. Not final, so that
 * tests can make an install fail in ways real models rarely do.
 */
public class ModelInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(ModelInstaller.class);
  private final Path modelsDir;
  private final ModelRegistry registry;
  private final ServiceMetrics metrics;
  private final ModelTrust trust;

  /**
   * {@code registry} may be null (no serving in this process); signatures are checked as the
   * registry's loader does.
   */
  public ModelInstaller(Path modelsDir, ModelRegistry registry, ServiceMetrics metrics) {
    this(modelsDir, registry, metrics, registry == null ? null : registry.trust());
  }

  /** {@code trust}: what a process without a registry checks signatures with (null: none). */
  public ModelInstaller(
      Path modelsDir, ModelRegistry registry, ServiceMetrics metrics, ModelTrust trust) {
    this.modelsDir = modelsDir;
    this.registry = registry;
    this.metrics = metrics;
    this.trust = trust;
  }

  /** The trust of this process (signs what its trainer promotes), or null. */
  public ModelTrust trust() {
    return trust;
  }

  public Path modelsDir() {
    return modelsDir;
  }

  /** The version this process has of {@code name} (serving, or stored), 0 if none. */
  public long currentVersion(String name) {
    if (registry != null && registry.has(name)) {
      return registry.card(name).version();
    }
    try {
      return ModelCard.read(modelsDir.resolve(name).resolve(ModelCard.FILE)).version();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * Installs {@code card} + {@code onnx}; returns the card now current.
   *
   * @throws DenoiserException MODEL_REJECTED (logged and counted); nothing changes then
   */
  public ModelCard install(ModelCard card, byte[] onnx) {
    return install(card, onnx, null);
  }

  /**
   * Installs {@code card} + {@code onnx} with its {@code signature} (null: unsigned); returns the
   * card now current.
   *
   * @throws DenoiserException MODEL_REJECTED (logged and counted); nothing changes then
   */
  public ModelCard install(ModelCard card, byte[] onnx, ModelSignature signature) {
    ModelNames.check(card.name(), ErrorCode.MODEL_REJECTED);
    if (registry == null) {
      String actual = ModelLoader.sha256(onnx);
      if (card.sha256() == null || !actual.equalsIgnoreCase(card.sha256())) {
        throw refuse(
            card,
            "checksum",
            "sha256 mismatch: card says " + card.sha256() + ", model is " + actual);
      }
      if (trust != null) {
        try {
          trust.verifier().verify(card, onnx, signature);
        } catch (ModelVerifier.Refused e) {
          throw refuse(card, e.reason(), e.reason() + ": " + e.getMessage());
        }
      }
      store(card, onnx, signature);
      LOG.info("stored model {} version {} in {}", card.name(), card.version(), modelsDir);
      return card;
    }
    Path stage = null;
    try {
      stage = Files.createTempDirectory("denoiser-incoming-");
      Path dir = Files.createDirectories(stage.resolve(card.name()));
      Files.write(dir.resolve(ModelCard.MODEL_FILE), onnx);
      card.write(dir.resolve(ModelCard.FILE));
      if (signature != null) {
        Files.write(dir.resolve(ModelSignature.FILE), signature.encode());
      }
      ModelCard installed = registry.install(dir);
      store(installed, onnx, signature);
      return installed;
    } catch (IOException e) {
      throw new DenoiserException(
          ErrorCode.INTERNAL, "cannot stage model '" + card.name() + "': " + e.getMessage());
    } finally {
      deleteQuietly(stage);
    }
  }

  private DenoiserException refuse(ModelCard card, String reason, String message) {
    metrics.modelLoadFailure(card.name(), reason);
    DenoiserException e =
        new DenoiserException(
            ErrorCode.MODEL_REJECTED, "model '" + card.name() + "' rejected: " + message);
    LOG.warn("{}", e.getMessage());
    return e;
  }

  private void store(ModelCard card, byte[] onnx, ModelSignature signature) {
    try {
      ModelStore.publish(modelsDir, card, onnx, signature);
    } catch (IOException e) {
      // serving already has it; only a restart without the models topic would miss it
      LOG.warn(
          "model {} version {} is serving but could not be written to {}: {}",
          card.name(),
          card.version(),
          modelsDir,
          e.toString());
    }
  }

  static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", dir, e.toString());
    }
  }
}
