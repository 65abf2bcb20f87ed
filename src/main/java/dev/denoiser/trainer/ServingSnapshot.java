package dev.denoiser.trainer;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.inference.ModelLoader;
import dev.denoiser.model.ModelCard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The card and ONNX bytes of the model serving as {@code models.dir/<name>/}, read consistently:
 * writers replace {@code model.onnx} first and {@code card.json} last, so a read that races a write
 * sees a card whose sha256 does not match and is simply read again.
 */
record ServingSnapshot(ModelCard card, byte[] onnx) {
  static ServingSnapshot read(Path modelsDir, String name)
      throws IOException, InterruptedException {
    Path dir = modelsDir.resolve(name);
    if (!Files.isRegularFile(dir.resolve(ModelCard.FILE))
        || !Files.isRegularFile(dir.resolve(ModelCard.MODEL_FILE))) {
      throw new DenoiserException(
          ErrorCode.MODEL_NOT_FOUND, "no model '" + name + "' in " + modelsDir);
    }
    for (int attempt = 0; ; attempt++) {
      ModelCard card = ModelCard.read(dir.resolve(ModelCard.FILE));
      byte[] onnx = Files.readAllBytes(dir.resolve(ModelCard.MODEL_FILE));
      if (card.sha256() != null && card.sha256().equalsIgnoreCase(ModelLoader.sha256(onnx))) {
        return new ServingSnapshot(card, onnx);
      }
      if (attempt == 5) {
        throw new DenoiserException(
            ErrorCode.MODEL_REJECTED,
            "model "
                + name
                + " in "
                + modelsDir
                + ": model.onnx does not match the sha256 of its card");
      }
      Thread.sleep(200);
    }
  }
}
