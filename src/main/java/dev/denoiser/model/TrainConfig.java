package dev.denoiser.model;

import dev.denoiser.data.Noise;
import io.vertx.core.json.JsonObject;

/**
 * How to train: Adam with {@code learningRate}, {@code epochs} passes over the first {@code limit}
 * training images (0 = all) in batches of {@code batchSize}, inputs corrupted by {@code noise},
 * targets clean. {@code seed} fixes initialisation, shuffling and noise; {@code threads} fixes
 * PyTorch's thread count. {@code klWeight} scales the VAE's KL term (ignored otherwise).
 */
public record TrainConfig(
    int epochs,
    int batchSize,
    double learningRate,
    Noise noise,
    long seed,
    int threads,
    int limit,
    double klWeight) {

  public TrainConfig {
    if (epochs < 0 || batchSize <= 0 || !(learningRate > 0) || threads < 0 || limit < 0
        || !(klWeight >= 0)) {
      throw new ModelException("bad training config: epochs=" + epochs + " batch=" + batchSize
          + " lr=" + learningRate + " threads=" + threads + " limit=" + limit);
    }
    if (noise == null) {
      throw new ModelException("bad training config: no noise");
    }
  }

  /**
   * Defaults: 10 epochs, batch 128, lr 0.002, the given noise, seed 1, one PyTorch thread (on a
   * shared small machine more threads spin against each other and run slower), all data.
   */
  public static TrainConfig defaults(Noise noise) {
    return new TrainConfig(10, 128, 2e-3, noise, 1, 1, 0, 1.0);
  }

  public TrainConfig withEpochs(int e) {
    return new TrainConfig(e, batchSize, learningRate, noise, seed, threads, limit, klWeight);
  }

  public TrainConfig withLimit(int l) {
    return new TrainConfig(epochs, batchSize, learningRate, noise, seed, threads, l, klWeight);
  }

  public TrainConfig withSeed(long s) {
    return new TrainConfig(epochs, batchSize, learningRate, noise, s, threads, limit, klWeight);
  }

  public JsonObject toJson() {
    return new JsonObject().put("epochs", epochs).put("batchSize", batchSize)
        .put("learningRate", learningRate).put("noise", noise.spec()).put("seed", seed)
        .put("threads", threads).put("limit", limit).put("klWeight", klWeight)
        .put("optimizer", "adam").put("loss", "binary cross-entropy (clean target)");
  }

  public static TrainConfig fromJson(JsonObject j) {
    return new TrainConfig(j.getInteger("epochs", 10), j.getInteger("batchSize", 128),
        j.getDouble("learningRate", 2e-3), dev.denoiser.data.Noise.parse(j.getString("noise")),
        j.getLong("seed", 1L), j.getInteger("threads", Torch.defaultThreads()),
        j.getInteger("limit", 0), j.getDouble("klWeight", 1.0));
  }
}
