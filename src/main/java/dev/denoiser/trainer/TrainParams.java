package dev.denoiser.trainer;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.data.DataException;
import dev.denoiser.data.Noise;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The parameters of one training run, as given to a trigger (admin call body, control message
 * {@code params}) on top of the configured defaults. JSON keys: {@code epochs} (0 or more), {@code
 * limit} (MNIST training images, 0 = all), {@code learningRate}, {@code batchSize}, {@code noise}
 * (a noise spec; null = the serving model's card), {@code fromScratch} (fresh initialisation
 * instead of the serving model's weights), {@code seed}, {@code mode} ({@value #SUPERVISED}: MNIST
 * and reference frames with synthetic noise, the default; {@value #SELF_SUPERVISED}: the noisy
 * frames of the feed sample only), {@code steps} (self-supervised: Adam steps). A self-supervised
 * run's {@code learningRate}, {@code batchSize} and {@code steps} default to {@code
 * trainer.selfsup.*}. Unknown keys and values out of range are a {@code BAD_REQUEST}.
 */
public record TrainParams(
    int epochs,
    int limit,
    double learningRate,
    int batchSize,
    String noise,
    boolean fromScratch,
    long seed,
    String mode,
    int steps) {

  public static final String SUPERVISED = "supervised";
  public static final String SELF_SUPERVISED = "self-supervised";
  static final Set<String> KEYS =
      Set.of(
          "epochs",
          "limit",
          "learningRate",
          "batchSize",
          "noise",
          "fromScratch",
          "seed",
          "mode",
          "steps");
  static final Set<String> MODES = Set.of(SUPERVISED, SELF_SUPERVISED);

  public TrainParams {
    if (mode == null) {
      mode = SUPERVISED;
    }
    if (steps < 0 || steps > 1_000_000) {
      throw bad("steps must be 0 to 1000000, got " + steps);
    }
    if (!MODES.contains(mode)) {
      throw bad("mode must be " + SUPERVISED + " or " + SELF_SUPERVISED + ", got '" + mode + "'");
    }
    if (epochs < 0 || epochs > 1000) {
      throw bad("epochs must be 0 to 1000, got " + epochs);
    }
    if (limit < 0) {
      throw bad("limit must be 0 (all) or more, got " + limit);
    }
    if (!(learningRate > 0 && learningRate < 1)) {
      throw bad("learningRate must be in (0, 1), got " + learningRate);
    }
    if (batchSize < 1 || batchSize > 4096) {
      throw bad("batchSize must be 1 to 4096, got " + batchSize);
    }
    if (noise != null) {
      try {
        noise = Noise.parse(noise).spec();
      } catch (DataException e) {
        throw bad(e.getMessage());
      }
    }
  }

  /** A supervised run's parameters. */
  public TrainParams(
      int epochs,
      int limit,
      double learningRate,
      int batchSize,
      String noise,
      boolean fromScratch,
      long seed) {
    this(epochs, limit, learningRate, batchSize, noise, fromScratch, seed, SUPERVISED, 0);
  }

  public boolean selfSupervised() {
    return SELF_SUPERVISED.equals(mode);
  }

  /** The defaults of {@code trainer.*}: fine-tune, seed 1, noise from the serving card. */
  public static TrainParams defaults(Settings s) {
    return new TrainParams(
        s.getInt(Setting.TRAINER_EPOCHS),
        s.getInt(Setting.TRAINER_LIMIT),
        s.getDouble(Setting.TRAINER_LEARNING_RATE),
        s.getInt(Setting.TRAINER_BATCH_SIZE),
        null,
        false,
        1,
        s.getString(Setting.TRAINER_MODE).trim(),
        0);
  }

  /** The defaults of a self-supervised run: {@code trainer.selfsup.*} over {@link #defaults}. */
  public static TrainParams selfSupervisedDefaults(Settings s) {
    TrainParams d = defaults(s);
    return new TrainParams(
        d.epochs(),
        d.limit(),
        s.getDouble(Setting.TRAINER_SELFSUP_LEARNING_RATE),
        s.getInt(Setting.TRAINER_SELFSUP_BATCH_SIZE),
        null,
        false,
        1,
        SELF_SUPERVISED,
        s.getInt(Setting.TRAINER_SELFSUP_STEPS));
  }

  /**
   * {@code json} over the defaults of the run's mode: {@code selfSupervised} when the JSON's {@code
   * mode} (or, without one, {@code supervised.mode()}) is self-supervised.
   */
  public static TrainParams fromJson(
      JsonObject json, TrainParams supervised, TrainParams selfSupervised) {
    Object m = json == null ? null : json.getValue("mode");
    if (json == null && supervised.selfSupervised()) {
      return selfSupervised;
    }
    String mode = m instanceof String t ? t : supervised.mode();
    return fromJson(json, SELF_SUPERVISED.equals(mode) ? selfSupervised : supervised);
  }

  /** {@code json} (null = none) over {@code base}; a wrong key or type is a BAD_REQUEST. */
  public static TrainParams fromJson(JsonObject json, TrainParams base) {
    if (json == null) {
      return base;
    }
    for (String k : json.fieldNames()) {
      if (!KEYS.contains(k)) {
        throw bad("unknown training parameter '" + k + "'; known: " + KEYS);
      }
    }
    try {
      return new TrainParams(
          json.getInteger("epochs", base.epochs()),
          json.getInteger("limit", base.limit()),
          json.getDouble("learningRate", base.learningRate()),
          json.getInteger("batchSize", base.batchSize()),
          json.getString("noise", base.noise()),
          json.getBoolean("fromScratch", base.fromScratch()),
          json.getLong("seed", base.seed()),
          json.getString("mode", base.mode()),
          json.getInteger("steps", base.steps()));
    } catch (ClassCastException e) {
      throw bad("a training parameter has the wrong type: " + e.getMessage());
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("epochs", epochs)
        .put("limit", limit)
        .put("learningRate", learningRate)
        .put("batchSize", batchSize)
        .put("noise", noise)
        .put("fromScratch", fromScratch)
        .put("seed", seed)
        .put("mode", mode)
        .put("steps", steps);
  }

  private static DenoiserException bad(String message) {
    return new DenoiserException(ErrorCode.BAD_REQUEST, message);
  }
}
