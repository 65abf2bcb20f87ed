package dev.denoiser.inference;

import dev.denoiser.model.ModelCard;
import dev.denoiser.trust.ModelSignature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a model version into {@code <root>/<name>/} so that a reader never sees a half-written
 * one: both files go to temporary names first, then {@code model.onnx} is renamed into place, and
 * {@code card.json} (which carries the version and the sha256 of the model) last. A watcher that
 * sees the new card therefore always finds the matching model file.
 */
public final class ModelStore {
  private ModelStore() {}

  /**
   * Writes {@code onnx} and {@code card} (its sha256 set from the bytes) and returns the model's
   * directory.
   */
  public static Path publish(Path root, ModelCard card, byte[] onnx) throws IOException {
    return publish(root, card, onnx, null);
  }

  /**
   * As {@link #publish(Path, ModelCard, byte[])}, with the model's signature ({@code model.sig},
   * moved in before the card; null: none is written, and an old one is removed). The model's
   * directory must be a real directory, not a symbolic link.
   */
  public static Path publish(Path root, ModelCard card, byte[] onnx, ModelSignature signature)
      throws IOException {
    ModelCard c = card.withSha256(ModelLoader.sha256(onnx));
    Path dir = root.resolve(c.name());
    if (Files.isSymbolicLink(dir)) {
      throw new IOException(dir + " is a symbolic link; not writing a model through it");
    }
    Files.createDirectories(dir);
    Path tmpModel = dir.resolve(ModelCard.MODEL_FILE + ".tmp");
    Path tmpCard = dir.resolve(ModelCard.FILE + ".tmp");
    Path tmpSig = dir.resolve(ModelSignature.FILE + ".tmp");
    Files.deleteIfExists(tmpModel);
    Files.deleteIfExists(tmpCard);
    Files.deleteIfExists(tmpSig);
    Files.write(tmpModel, onnx, java.nio.file.StandardOpenOption.CREATE_NEW);
    c.write(tmpCard);
    move(tmpModel, dir.resolve(ModelCard.MODEL_FILE));
    if (signature != null) {
      Files.write(tmpSig, signature.encode(), java.nio.file.StandardOpenOption.CREATE_NEW);
      move(tmpSig, dir.resolve(ModelSignature.FILE));
    } else {
      Files.deleteIfExists(dir.resolve(ModelSignature.FILE));
    }
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
