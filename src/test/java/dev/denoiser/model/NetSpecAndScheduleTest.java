package dev.denoiser.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.Noise;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The network description and the training config carry the bottleneck convolutions, the U-Net skip
 * and the learning-rate schedule through JSON (cards, checkpoints, ONNX metadata), older
 * descriptions without them still read, and the cosine schedule runs from the first rate to the
 * last.
 */
class NetSpecAndScheduleTest {
  @Test
  void netSpecRoundTripsAndOldCardsStillRead() {
    NetSpec unet = new NetSpec("conv-upsample", 32, 32, 0, 0, 2, true);
    assertEquals(unet, NetSpec.fromJson(new JsonObject(unet.toJson().encode())));
    NetSpec old = new NetSpec("conv-transpose", 32, 32, 0, 1);
    assertFalse(old.toJson().containsKey("mid"));
    assertFalse(old.toJson().containsKey("unet"));
    JsonObject v1 =
        new JsonObject()
            .put("architecture", "conv-upsample")
            .put("c1", 32)
            .put("c2", 32)
            .put("latentDim", 0)
            .put("skip", 8);
    assertEquals(new NetSpec("conv-upsample", 32, 32, 0, 8, 0, false), NetSpec.fromJson(v1));
  }

  @Test
  void bottleneckAndUnetAreConvUpsampleOptions() {
    assertThrows(ModelException.class, () -> new NetSpec("conv-transpose", 8, 8, 0, 0, 1, false));
    assertThrows(ModelException.class, () -> new NetSpec("vae", 8, 8, 2, 0, 0, true));
    List<String> names =
        new NetSpec("conv-upsample", 8, 16, 0, 0, 2, true)
            .arch().params(new NetSpec("conv-upsample", 8, 16, 0, 0, 2, true)).stream()
                .map(ParamSpec::name)
                .toList();
    assertTrue(
        names.containsAll(List.of("mid1.w", "mid1.b", "mid2.w", "mid2.b")), names.toString());
    assertFalse(names.contains("mid3.w"));
  }

  @Test
  void cosineScheduleRunsFromTheFirstRateToTheLast() {
    TrainConfig c = TrainConfig.defaults(Noise.gaussian(0.3)).withFinalLearningRate(1e-4);
    assertEquals(2e-3, c.learningRateAt(0, 101), 1e-12);
    assertEquals(1e-4, c.learningRateAt(100, 101), 1e-12);
    assertEquals((2e-3 + 1e-4) / 2, c.learningRateAt(50, 101), 1e-9);
    for (int s = 1; s < 101; s++) {
      assertTrue(c.learningRateAt(s, 101) < c.learningRateAt(s - 1, 101));
    }
    TrainConfig constant = TrainConfig.defaults(Noise.gaussian(0.3));
    assertEquals(constant.learningRate(), constant.learningRateAt(77, 101));
    assertEquals(c, TrainConfig.fromJson(new JsonObject(c.toJson().encode())));
    JsonObject older = constant.toJson();
    older.remove("finalLearningRate");
    assertEquals(constant, TrainConfig.fromJson(older));
    assertThrows(ModelException.class, () -> constant.withFinalLearningRate(1));
  }
}
