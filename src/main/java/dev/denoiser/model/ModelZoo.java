package dev.denoiser.model;

import dev.denoiser.data.Noise;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The shipped models: for each name under {@code models/}, the network and the training recipe it
 * was made with. {@code train NAME} reproduces one; {@code --arch} and the size options override.
 */
public final class ModelZoo {
  /** A recipe: network plus training config. */
  public record Recipe(NetSpec net, TrainConfig config) {}

  /** The noise the convolutional denoisers are trained on: one model for sigma 0.1 to 0.5. */
  public static final String WIDE_NOISE = "gaussian:0.05..0.6";
  public static final String DEFAULT_MODEL = "conv-upsample";

  private static final Map<String, Recipe> RECIPES = new LinkedHashMap<>();

  static {
    Noise wide = Noise.parse(WIDE_NOISE);
    Noise half = Noise.gaussian(0.5);
    put("linear", new NetSpec("linear", 256, 1, 32, 0), cfg(half, 8));
    put("conv-transpose", new NetSpec("conv-transpose", 32, 32, 0, 1), cfg(wide, 3));
    put("conv-upsample", new NetSpec("conv-upsample", 32, 32, 0, 8), cfg(wide, 8));
    put("conv-unpool", new NetSpec("conv-unpool", 16, 32, 0, 1), cfg(wide, 2));
    put("vae", new NetSpec("vae", 32, 32, 16, 0), cfg(half, 3));
    put("vae-2d", new NetSpec("vae", 32, 32, 2, 0), cfg(half, 2));
  }

  private ModelZoo() {}

  private static TrainConfig cfg(Noise noise, int epochs) {
    return TrainConfig.defaults(noise).withEpochs(epochs);
  }

  private static void put(String name, NetSpec net, TrainConfig cfg) {
    RECIPES.put(name, new Recipe(net, cfg));
  }

  public static Set<String> names() {
    return RECIPES.keySet();
  }

  /** The recipe of a shipped model, or null. */
  public static Recipe recipe(String name) {
    return RECIPES.get(name);
  }
}
