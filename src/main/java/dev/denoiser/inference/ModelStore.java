package dev.denoiser.inference;

import dev.denoiser.model.ModelCard;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a model version into {@code <root>/<name>/} so that a reader never sees a half-written
 * one: both files go to temporary names first, then {@code model.onnx} is renamed into place,
 * and {@code card.json} (which carries the version and the sha256 of the model) last. A watcher
 * that sees the new card therefore always finds the matching model file.
 */
public final class ModelStore {
  private ModelStore() {}

  /** Writes {@code onnx} and {@code card} (its sha256 set from the bytes) and returns the model's directory. */
  public static Path publish(Path root, ModelCard card, byte[] onnx) throws IOException {
    ModelCard c = card.withSha256(ModelLoader.sha256(onnx));
    Path dir = root.resolve(c.name());
    Files.createDirectories(dir);
    Path tmpModel = dir.resolve(ModelCard.MODEL_FILE + ".tmp");
    Path tmpCard = dir.resolve(ModelCard.FILE + ".tmp");
    Files.write(tmpModel, onnx);
    c.write(tmpCard);
    move(tmpModel, dir.resolve(ModelCard.MODEL_FILE));
    move(tmpCard, dir.resolve(ModelCard.FILE));
    return dir;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
