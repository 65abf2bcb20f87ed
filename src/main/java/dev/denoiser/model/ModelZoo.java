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
  static final String NATURAL_FAST_NOTES =
      "The real-time tier for natural frames: gray, blind "
          + "(sigma 0 to 55). A thin three-level residual U-Net (8, 16, 32 channels, two convolutions "
          + "at the bottleneck) whose decoder upsamples with a 1x1 convolution and nearest-neighbour "
          + "upsampling; the detail comes back through the skips and the last full-resolution 3x3 "
          + "convolution.";

  /**
   * A recipe: network, training config, the notes its card carries, whether it is meant as a
   * denoiser (and so has to beat the 3x3 median at sigma 0.5) or only for its latent, and the
   * shipped model it starts from ({@code initFrom}, a name in this zoo; null = random weights).
   */
  public record Recipe(
      NetSpec net, TrainConfig config, String notes, boolean denoiser, String initFrom) {
    public Recipe(NetSpec net, TrainConfig config, String notes, boolean denoiser) {
      this(net, config, notes, denoiser, null);
    }
  }

  /** The noise the convolutional denoisers are trained on: one model for sigma 0.1 to 0.5. */
  public static final String WIDE_NOISE = "gaussian:0.05..0.6";

  public static final String DEFAULT_MODEL = "conv-upsample";

  private static final Map<String, Recipe> RECIPES = new LinkedHashMap<>();

  /** Patches a natural-image recipe cuts from the photos (train --patches overrides). */
  private static final Map<String, Integer> PATCHES = new java.util.HashMap<>();

  static {
    Noise wide = Noise.parse(WIDE_NOISE);
    Noise half = Noise.gaussian(0.5);
    put(
        "linear",
        new NetSpec("linear", 256, 1, 32, 0),
        cfg(half, 8),
        "A linear autoencoder "
            + "with a 32-d code can do no better than PCA with 32 components (about 17.5 dB at sigma "
            + "0.5); the hidden ReLU layers take this one a little past that, not much.",
        true);
    put(
        "conv-transpose",
        new NetSpec("conv-transpose", 32, 32, 0, 1),
        cfg(wide, 3),
        "Its input "
            + "skip is a single 3x3 conv (skip=1) where conv-upsample-fast has two (skip=8) and more "
            + "epochs: compare the two decoders' checkerboard figures, not their PSNR.",
        true);
    NetSpec best = new NetSpec("conv-upsample", 32, 64, 0, 32, 2, true);
    RECIPES.put(
        DEFAULT_MODEL,
        new Recipe(
            best,
            new TrainConfig(3, 128, 3e-4, wide, 1, 1, 0, 1.0, 1e-5, TrainConfig.Loss.PSNR),
            "The default denoiser: one model for Gaussian noise from "
                + "sigma 0.1 to 0.5. It is conv-upsample-bce fine-tuned for 3 epochs on minus the mean "
                + "per-image PSNR (cosine 3e-4 to 1e-5), the number eval reports: that moves weight from "
                + "the noisiest images, whose errors dominate a per-pixel loss, to the cleaner ones, and "
                + "gains about 1 dB at sigma 0.1 for 0.2 dB lost at sigma 0.5.",
            true,
            "conv-upsample-bce"));
    put(
        "conv-upsample-bce",
        best,
        cfg(wide, 48).withFinalLearningRate(1e-5),
        "The default's "
            + "first stage, trained with binary cross-entropy only (one sigma per image drawn from "
            + "[0.05, 0.6], 48 epochs, cosine 2e-3 to 1e-5): 32, 64 channels, two extra convolutions "
            + "at the bottleneck, the first encoder level added to the first decoder level (U-Net "
            + "style) and a 32-channel full-resolution input path (skip=32). The best of the zoo at "
            + "sigma 0.5; the same cost per frame as conv-upsample.",
        true);
    put(
        "conv-upsample-fast",
        new NetSpec("conv-upsample", 32, 32, 0, 8),
        cfg(wide, 14),
        "The "
            + "previous default: the same decoder without bottleneck convolutions or U-Net skip, at "
            + "32, 32 channels. About 1 dB below conv-upsample at sigma 0.5 for about half the "
            + "compute per frame; choose it when a small CPU must keep latency low at high frame "
            + "rates.",
        true);
    put(
        "conv-unpool",
        new NetSpec("conv-unpool", 16, 32, 0, 1),
        cfg(wide, 2),
        "The latent does "
            + "not determine the output: the decoder also reads the pooling indices (where each "
            + "maximum was), which are not in the latent. Served all the same; use its latent as a "
            + "descriptor only.",
        true);
    put(
        "vae",
        new NetSpec("vae", 32, 32, 16, 0),
        cfg(half, 3),
        "Inference and the exported "
            + "graph decode mu (no sampling); the published latent is mu.",
        true);
    put(
        "vae-2d",
        new NetSpec("vae", 32, 32, 2, 0),
        cfg(half, 2),
        "Two latent dimensions, for "
            + "the page's live scatter plot. Two numbers cannot describe a digit's shape in detail: "
            + "it scores below the 3x3 median at sigma 0.5; use vae or conv-upsample to denoise.",
        false);
  }

  /** Natural-image training noise: one sigma per patch in [0, 55] on the 0-255 scale. */
  public static final String NATURAL_NOISE = "gaussian:0..0.2157";

  static {
    Noise natural = Noise.parse(NATURAL_NOISE);
    TrainConfig nat =
        new TrainConfig(4, 16, 1e-3, natural, 1, 1, 0, 1.0, 1e-5, TrainConfig.Loss.MSE);
    PATCHES.put("natural-gray", 56_000);
    PATCHES.put("natural-fast", 60_000);
    RECIPES.put(
        "natural-gray",
        new Recipe(
            new NetSpec(ResidualUNet.NAME, 16, 32, 0, 0, 2, true).withViews(2),
            nat,
            "The default for natural frames: gray, blind (one model for sigma 0 to 55 on 0-255, "
                + "no sigma input). A residual U-Net over three resolutions trained on 64x64 patches of "
                + "the opencv-doc and scikit-image training photos (never the test photos).",
            true));
    RECIPES.put(
        "natural-fast",
        new Recipe(
            new NetSpec(ResidualUNet.LITE, 8, 16, 0, 0, 2, false),
            nat.withEpochs(5),
            NATURAL_FAST_NOTES,
            true));
  }

  private ModelZoo() {}

  /** The training patches of a natural-image recipe, or {@code fallback}. */
  public static int patches(String name, int fallback) {
    return PATCHES.getOrDefault(name, fallback);
  }

  private static TrainConfig cfg(Noise noise, int epochs) {
    return TrainConfig.defaults(noise).withEpochs(epochs);
  }

  private static void put(
      String name, NetSpec net, TrainConfig cfg, String notes, boolean denoiser) {
    RECIPES.put(name, new Recipe(net, cfg, notes, denoiser));
  }

  public static Set<String> names() {
    return RECIPES.keySet();
  }

  /** The recipe of a shipped model, or null. */
  public static Recipe recipe(String name) {
    return RECIPES.get(name);
  }
}
