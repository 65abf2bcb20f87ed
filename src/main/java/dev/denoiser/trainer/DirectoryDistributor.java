package dev.denoiser.trainer;

import dev.denoiser.hotswap.ModelInstaller;
import dev.denoiser.model.ModelCard;

/**
 * Promotion without Kafka: the model goes into {@code models.dir} through the
 * {@link ModelInstaller} (so in a serving process the registry swaps it in at once, and other
 * replicas sharing the directory pick it up with their watcher).
 */
final class DirectoryDistributor implements Distributor {
  private final ModelInstaller installer;

  DirectoryDistributor(ModelInstaller installer) {
    this.installer = installer;
  }

  @Override
  public String publish(ModelCard card, byte[] onnx) {
    installer.install(card, onnx);
    return "models.dir " + installer.modelsDir();
  }
}
