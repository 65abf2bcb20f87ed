package dev.denoiser.model;

import dev.denoiser.data.Noise;
import io.vertx.core.json.JsonObject;

/**
 * How to train: Adam with {@code learningRate}, {@code epochs} passes over the first {@code limit}
 * training images (0 = all) in batches of {@code batchSize}, inputs corrupted by {@code noise},
 * targets clean. {@code seed} fixes initialisation, shuffling and noise; {@code threads} fixes
 * PyTorch's thread count. {@code klWeight} scales the VAE's KL term (ignored otherwise). {@code
 * finalLearningRate}: the learning rate follows a cosine from {@code learningRate} at the first
 * step down to this at the last; equal to {@code learningRate} it stays constant. {@code loss}:
 * what the optimiser minimises (see {@link Loss}).
 */
public record TrainConfig(
    int epochs,
    int batchSize,
    double learningRate,
    Noise noise,
    long seed,
    int threads,
    int limit,
    double klWeight,
    double finalLearningRate,
    Loss loss) {

  /**
   * The training objective. {@code bce}: mean per-pixel binary cross-entropy between the sigmoid
   * output and the clean image (the classic tutorials' loss; stable from a random start). {@code
   * psnr}: minus the mean per-image PSNR of the output against the clean image, the very number
   * {@code eval} reports. Squared-error objectives can collapse to a blank output when a small
   * network starts from random weights at high noise, so {@code psnr} is meant for fine-tuning a
   * model first trained with {@code bce} ({@code train --init-from}). {@code mse}: the squared
   * error of a residual architecture's output (noisy input plus a learned residual), which starts
   * near the identity and so cannot collapse to a blank image.
   */
  public enum Loss {
    BCE("bce", "binary cross-entropy (clean target)"),
    PSNR("psnr", "minus mean per-image PSNR in dB (clean target)"),
    MSE("mse", "mean squared error of the unclipped output (clean target)");

    private final String id;
    private final String description;

    Loss(String id, String description) {
      this.id = id;
      this.description = description;
    }

    public String description() {
      return description;
    }

    /** "bce" or "psnr", or a card's description; none (a config without the field) is bce. */
    public static Loss parse(String s) {
      if (s == null) {
        return BCE;
      }
      for (Loss l : values()) {
        if (l.id.equals(s) || l.description.equals(s)) {
          return l;
        }
      }
      throw new ModelException("unknown loss '" + s + "': use bce, psnr or mse");
    }
  }

  public TrainConfig {
    if (epochs < 0
        || batchSize <= 0
        || !(learningRate > 0)
        || threads < 0
        || limit < 0
        || !(klWeight >= 0)
        || !(finalLearningRate > 0)
        || finalLearningRate > learningRate) {
      throw new ModelException(
          "bad training config: epochs="
              + epochs
              + " batch="
              + batchSize
              + " lr="
              + learningRate
              + " final lr="
              + finalLearningRate
              + " threads="
              + threads
              + " limit="
              + limit);
    }
    if (noise == null) {
      throw new ModelException("bad training config: no noise");
    }
    if (loss == null) {
      throw new ModelException("bad training config: no loss");
    }
  }

  /** A config with the cross-entropy loss. */
  public TrainConfig(
      int epochs,
      int batchSize,
      double learningRate,
      Noise noise,
      long seed,
      int threads,
      int limit,
      double klWeight,
      double finalLearningRate) {
    this(
        epochs,
        batchSize,
        learningRate,
        noise,
        seed,
        threads,
        limit,
        klWeight,
        finalLearningRate,
        Loss.BCE);
  }

  /** A config with a constant learning rate. */
  public TrainConfig(
      int epochs,
      int batchSize,
      double learningRate,
      Noise noise,
      long seed,
      int threads,
      int limit,
      double klWeight) {
    this(epochs, batchSize, learningRate, noise, seed, threads, limit, klWeight, learningRate);
  }

  /** The learning rate for step {@code step} (from 0) of {@code total}. */
  public double learningRateAt(long step, long total) {
    if (finalLearningRate == learningRate || total <= 1) {
      return learningRate;
    }
    double t = Math.min(1.0, step / (double) (total - 1));
    return finalLearningRate
        + (learningRate - finalLearningRate) * 0.5 * (1 + Math.cos(Math.PI * t));
  }

  /**
   * Defaults: 10 epochs, batch 128, lr 0.002, the given noise, seed 1, one PyTorch thread (on a
   * shared small machine more threads spin against each other and run slower), all data.
   */
  public static TrainConfig defaults(Noise noise) {
    return new TrainConfig(10, 128, 2e-3, noise, 1, 1, 0, 1.0);
  }

  public TrainConfig withEpochs(int e) {
    return new TrainConfig(
        e, batchSize, learningRate, noise, seed, threads, limit, klWeight, finalLearningRate, loss);
  }

  public TrainConfig withLimit(int l) {
    return new TrainConfig(
        epochs,
        batchSize,
        learningRate,
        noise,
        seed,
        threads,
        l,
        klWeight,
        finalLearningRate,
        loss);
  }

  public TrainConfig withSeed(long s) {
    return new TrainConfig(
        epochs,
        batchSize,
        learningRate,
        noise,
        s,
        threads,
        limit,
        klWeight,
        finalLearningRate,
        loss);
  }

  /** This config with the learning rate annealed (cosine) to {@code lr} at the last step. */
  public TrainConfig withFinalLearningRate(double lr) {
    return new TrainConfig(
        epochs, batchSize, learningRate, noise, seed, threads, limit, klWeight, lr, loss);
  }

  /** This config minimising {@code l}. */
  public TrainConfig withLoss(Loss l) {
    return new TrainConfig(
        epochs,
        batchSize,
        learningRate,
        noise,
        seed,
        threads,
        limit,
        klWeight,
        finalLearningRate,
        l);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("epochs", epochs)
        .put("batchSize", batchSize)
        .put("learningRate", learningRate)
        .put("finalLearningRate", finalLearningRate)
        .put("learningRateSchedule", finalLearningRate == learningRate ? "constant" : "cosine")
        .put("noise", noise.spec())
        .put("seed", seed)
        .put("threads", threads)
        .put("limit", limit)
        .put("klWeight", klWeight)
        .put("optimizer", "adam")
        .put("loss", loss.description());
  }

  public static TrainConfig fromJson(JsonObject j) {
    double lr = j.getDouble("learningRate", 2e-3);
    return new TrainConfig(
        j.getInteger("epochs", 10),
        j.getInteger("batchSize", 128),
        lr,
        dev.denoiser.data.Noise.parse(j.getString("noise")),
        j.getLong("seed", 1L),
        j.getInteger("threads", Torch.defaultThreads()),
        j.getInteger("limit", 0),
        j.getDouble("klWeight", 1.0),
        j.getDouble("finalLearningRate", lr),
        Loss.parse(j.getString("loss")));
  }
}
