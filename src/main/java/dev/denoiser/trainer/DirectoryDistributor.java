package dev.denoiser.trainer;

import dev.denoiser.hotswap.ModelInstaller;
import dev.denoiser.model.ModelCard;
import dev.denoiser.trust.ModelTrust;

/**
 * Promotion without Kafka: the model goes into {@code models.dir} through the {@link
 * ModelInstaller} (so in a serving process the registry swaps it in at once, and other replicas
 * sharing the directory pick it up with their watcher), signed with this process's key ({@code
 * model.sig}).
 */
final class DirectoryDistributor implements Distributor {
  private final ModelInstaller installer;

  DirectoryDistributor(ModelInstaller installer) {
    this.installer = installer;
  }

  @Override
  public String publish(ModelCard card, byte[] onnx) {
    ModelTrust trust = installer.trust();
    installer.install(card, onnx, trust == null ? null : trust.signer().sign(card, onnx));
    return "models.dir " + installer.modelsDir();
  }
}
