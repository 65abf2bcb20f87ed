package dev.denoiser.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OnnxDenoiserTest {
  private static final Path MODEL = Path.of("models", "conv-upsample");

  @Test
  void cardDefaults() {
    ModelInfo info = ModelInfo.read(MODEL);
    assertEquals("conv-upsample", info.name());
    assertEquals(1, info.channels());
    assertEquals(4, info.sizeMultiple());
  }

  @Test
  void runsOnAnOddSizedGrayImageAndKeepsItsSize() {
    Image noisy = NaturalTestSet.noisy(Synthetic.scene(641, 479, 1), 25, 9L);
    try (OnnxDenoiser d = new OnnxDenoiser(ModelInfo.read(MODEL), 2)) {
      Image out = d.denoise(noisy);
      assertEquals(641, out.width());
      assertEquals(479, out.height());
      assertEquals(1, out.channels());
      for (float v : out.data()) {
        assertTrue(Float.isFinite(v) && v >= -1f && v <= 256f, "value " + v);
      }
    }
  }

  @Test
  void aGrayModelRunsOnEachChannelOfAColourImage() {
    Image noisy = NaturalTestSet.noisy(Synthetic.scene(33, 18, 3), 25, 9L);
    try (OnnxDenoiser d = new OnnxDenoiser(ModelInfo.read(MODEL), 1)) {
      Image out = d.denoise(noisy);
      assertEquals(3, out.channels());
      assertEquals(33, out.width());
      assertEquals(18, out.height());
      assertEquals(d.denoise(noisy.channel(1)).data()[100], out.data()[33 * 18 + 100], 1e-4f);
    }
  }
}
