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
 * {@code params}) on top of the configured defaults. JSON keys: {@code epochs} (0 or more),
 * {@code limit} (MNIST training images, 0 = all), {@code learningRate}, {@code batchSize},
 * {@code noise} (a noise spec; null = the serving model's card), {@code fromScratch} (fresh
 * initialisation instead of the serving model's weights), {@code seed}, {@code mode}
 * ({@value #SUPERVISED}: MNIST and reference frames with synthetic noise, the default;
 * {@value #SELF_SUPERVISED}: the noisy frames of the feed sample only). Unknown keys and values
 * out of range are a {@code BAD_REQUEST}.
 */
public record TrainParams(int epochs, int limit, double learningRate, int batchSize, String noise,
    boolean fromScratch, long seed, String mode) {

  public static final String SUPERVISED = "supervised";
  public static final String SELF_SUPERVISED = "self-supervised";
  static final Set<String> KEYS =
      Set.of("epochs", "limit", "learningRate", "batchSize", "noise", "fromScratch", "seed", "mode");
  static final Set<String> MODES = Set.of(SUPERVISED, SELF_SUPERVISED);

  public TrainParams {
    if (mode == null) {
      mode = SUPERVISED;
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
  public TrainParams(int epochs, int limit, double learningRate, int batchSize, String noise,
      boolean fromScratch, long seed) {
    this(epochs, limit, learningRate, batchSize, noise, fromScratch, seed, SUPERVISED);
  }

  public boolean selfSupervised() {
    return SELF_SUPERVISED.equals(mode);
  }

  /** The defaults of {@code trainer.*}: fine-tune, seed 1, noise from the serving card. */
  public static TrainParams defaults(Settings s) {
    return new TrainParams(s.getInt(Setting.TRAINER_EPOCHS), s.getInt(Setting.TRAINER_LIMIT),
        s.getDouble(Setting.TRAINER_LEARNING_RATE), s.getInt(Setting.TRAINER_BATCH_SIZE), null,
        false, 1, s.getString(Setting.TRAINER_MODE).trim());
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
          json.getString("mode", base.mode()));
    } catch (ClassCastException e) {
      throw bad("a training parameter has the wrong type: " + e.getMessage());
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("epochs", epochs).put("limit", limit)
        .put("learningRate", learningRate).put("batchSize", batchSize).put("noise", noise)
        .put("fromScratch", fromScratch).put("seed", seed).put("mode", mode);
  }

  private static DenoiserException bad(String message) {
    return new DenoiserException(ErrorCode.BAD_REQUEST, message);
  }
}
