package dev.denoiser.model.eval;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the natural-image eval reads from {@code models/<name>/card.json}: {@code domain} ({@code
 * "natural"} selects a model by default), {@code channels} (1 gray, 3 RGB; default 1) and {@code
 * sizeMultiple} (default 4). A missing card means the defaults.
 */
public record ModelInfo(String name, Path onnx, String domain, int channels, int sizeMultiple) {
  public static final String MODEL_FILE = "model.onnx";
  public static final String CARD_FILE = "card.json";

  /** Reads the model in {@code dir} (its name is the folder's name). */
  public static ModelInfo read(Path dir) {
    Path onnx = dir.resolve(MODEL_FILE);
    if (!Files.isRegularFile(onnx)) {
      throw new IllegalArgumentException("no " + MODEL_FILE + " in " + dir);
    }
    JsonObject card = new JsonObject();
    Path cardFile = dir.resolve(CARD_FILE);
    if (Files.isRegularFile(cardFile)) {
      try {
        card = new JsonObject(Files.readString(cardFile, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + cardFile, e);
      }
    }
    int channels = card.getInteger("channels", 1);
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException(cardFile + ": channels must be 1 or 3, got " + channels);
    }
    int multiple = Math.max(1, card.getInteger("sizeMultiple", 4));
    return new ModelInfo(
        dir.getFileName().toString(), onnx, card.getString("domain", ""), channels, multiple);
  }

  public boolean natural() {
    return "natural".equals(domain);
  }
}
