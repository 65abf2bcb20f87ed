package dev.denoiser.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Mnist;
import dev.denoiser.data.Noise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained and published for real (DJL, ONNX Runtime) gets a loss.png with both series and a
 * samples.png with labelled rows, and its card carries the loss curve, so the same picture can be
 * drawn again from the card alone.
 */
class PublishedPicturesTest {
  @TempDir Path dir;

  @Test
  void lossPngCanBeRedrawnFromTheCard() throws Exception {
    ImageSet mnist = Mnist.locate(null).test();
    ImageSet train = mnist.head(640);
    NetSpec spec = new NetSpec("conv-upsample", 8, 16, 0, 1);
    TrainConfig cfg = new TrainConfig(2, 8, 3e-3, Noise.gaussian(0.3), 3, 1, 0, 1.0);
    Trainer.Result r = Models.train(spec, cfg, train, new TrainListener() {});
    Path out = dir.resolve("tiny");
    ModelCard card;
    try (NetModel m = r.model()) {
      card = Models.publish("tiny", r, mnist.head(50), out, 1);
    }
    JsonObject training = card.json().getJsonObject("training");
    JsonArray curve = training.getJsonArray(Publisher.CURVE_KEY);
    assertEquals(r.curve().size(), curve.size(), "the card keeps the curve");
    assertTrue(curve.size() >= 4, "80 steps per epoch, a point every 50: " + curve.size());
    assertEquals(Trainer.CURVE_EVERY, training.getInteger(Publisher.CURVE_EVERY_KEY));

    Chart again =
        Png.lossChart(
            "tiny",
            TrainConfig.Loss.parse(training.getString("loss")),
            false,
            doubles(curve),
            doubles(training.getJsonArray("epochLoss")));
    assertEquals(2, again.series().size(), "curve and epoch means");
    BufferedImage written = ImageIO.read(out.resolve("loss.png").toFile());
    BufferedImage redrawn = again.render();
    assertEquals(redrawn.getWidth(), written.getWidth());
    int differ = 0;
    for (int y = 0; y < written.getHeight(); y++) {
      for (int x = 0; x < written.getWidth(); x++) {
        differ += written.getRGB(x, y) != redrawn.getRGB(x, y) ? 1 : 0;
      }
    }
    // The card rounds the losses to 5 digits: a pixel or two of the line may move.
    assertTrue(differ < 200, "pixels that differ: " + differ);

    BufferedImage samples = ImageIO.read(out.resolve("samples.png").toFile());
    int rowsOfDigits = 8 * (28 * 2 + 2) + 2;
    assertTrue(samples.getWidth() > rowsOfDigits + 40, "a label column: " + samples.getWidth());
  }

  private static List<Double> doubles(JsonArray a) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(((Number) a.getValue(i)).doubleValue());
    }
    return out;
  }
}
