package dev.denoiser.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.ImageSet;
import dev.denoiser.data.Mnist;
import dev.denoiser.data.Noise;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed models under {@code models/}: checksums and typed card fields hold, re-evaluating
 * each through ONNX Runtime on the card's slice of the test set reproduces the card's numbers,
 * every denoiser beats the 3x3 median at sigma 0.5 (vae-2d is shipped for its 2-D latent and says
 * in its card that it does not), none collapsed to a blank output, and the fully convolutional ones
 * take other frame sizes.
 */
class ShippedModelsTest {
  static Map<String, Path> dirs;
  static ImageSet slice;

  @BeforeAll
  static void load() {
    dirs = Report.models(Path.of("models"));
    slice = Mnist.locate(null).test().head(Publisher.CHECK_IMAGES);
  }

  @Test
  void everyArchitectureIsShipped() {
    for (String name : ModelZoo.names()) {
      assertTrue(dirs.containsKey(name), "missing models/" + name);
    }
  }

  @Test
  void cardsMatchTheirModels() throws Exception {
    for (Map.Entry<String, Path> e : dirs.entrySet()) {
      ModelCard card = Report.card(e.getValue());
      Path onnx = e.getValue().resolve(ModelCard.MODEL_FILE);
      assertEquals(e.getKey(), card.name());
      assertEquals(1, card.version());
      assertTrue(Files.size(onnx) < 5_000_000, e.getKey() + " is too big");
      if ("opponent".equals(card.json().getString("colour"))) {
        // A colour wrapper: the gray network it runs is described in the card.
        NetSpec gray = NetSpec.fromJson(card.json().getJsonObject("net"));
        assertEquals(3, card.channels());
        assertEquals(3 * gray.arch().latentDim(gray), card.latentDim());
        continue;
      }
      OnnxImporter.Imported im = OnnxImporter.read(onnx);
      Architecture a = im.spec().arch();
      assertEquals(a.name(), card.architecture());
      assertEquals(a.latentDim(im.spec()), card.latentDim());
      assertEquals(a.fullyConvolutional() ? 0 : 28, card.height());
      assertEquals(a.fullyConvolutional() ? a.sizeMultiple() : 1, card.sizeMultiple());
      Noise.parse(card.json().getString("noise"));
      assertNotNull(card.json().getJsonObject("training").getInteger("epochs"));
    }
  }

  @Test
  void metricsReproduceBeatTheMedianAndShowNoCollapse() {
    Evaluator.Corrupted half = Evaluator.Corrupted.of(slice, Noise.gaussian(0.5), Evaluator.SEED);
    double median = Evaluator.median(half).psnr();
    for (Map.Entry<String, Path> e : dirs.entrySet()) {
      ModelCard card = Report.card(e.getValue());
      if ("natural".equals(card.json().getString("domain"))) {
        continue; // measured on photos: NaturalFramesTest and eval-natural
      }
      JsonObject check = card.json().getJsonObject("metrics").getJsonObject("check");
      Noise noise = Noise.parse(check.getString("noise"));
      Path onnx = e.getValue().resolve(ModelCard.MODEL_FILE);
      Evaluator.Score s =
          Evaluator.onnx(onnx, Evaluator.Corrupted.of(slice, noise, Evaluator.SEED));
      assertEquals(check.getDouble("psnr"), s.psnr(), 0.02, e.getKey() + " PSNR");
      assertEquals(check.getDouble("ssim"), s.ssim(), 0.002, e.getKey() + " SSIM");
      ModelZoo.Recipe recipe = ModelZoo.recipe(e.getKey());
      if (recipe == null || recipe.denoiser()) {
        double p = Evaluator.onnx(onnx, half).psnr();
        assertTrue(p > median, e.getKey() + ": " + p + " dB at sigma 0.5, median " + median);
      }
      JsonObject c = card.json().getJsonObject("metrics").getJsonObject("collapse");
      assertTrue(c.getDouble("mse") < 0.5 * c.getDouble("mseAllZeros"), e.getKey() + " " + c);
      assertTrue(c.getDouble("outputStd") > 0.5 * c.getDouble("cleanStd"), e.getKey() + " " + c);
    }
  }

  @Test
  void fullyConvolutionalModelsTakeOtherSizes() {
    for (Map.Entry<String, Path> e : dirs.entrySet()) {
      ModelCard card = Report.card(e.getValue());
      if (!card.dynamicSize()) {
        continue;
      }
      assertFalse(card.shapeProblem(64, 96) != null);
      try (OrtModel ort = new OrtModel(e.getValue().resolve(ModelCard.MODEL_FILE), 1)) {
        int c = ort.channels();
        assertEquals(card.channels(), c);
        NetModel.Prediction p = ort.run(OnnxParityTest.random(2 * c * 64 * 96, 1), 2, 64, 96);
        assertEquals(2 * c * 64 * 96, p.denoised().length);
        assertEquals(card.latentDim(), p.latentDim());
      }
    }
  }
}
