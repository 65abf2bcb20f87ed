package dev.denoiser.trainer;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;
import dev.denoiser.hotswap.ModelNames;
import dev.denoiser.model.ModelCard;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The one way a run starts, for the admin call, the control topic and the schedule alike: the model
 * must be a plain name with a model in {@code models.dir} ({@code MODEL_NOT_FOUND}), the parameters
 * must parse over the defaults and stay within the {@link RunLimits} ({@code BAD_REQUEST}), and the
 * queue must have room ({@code TRAINER_BUSY}); a run of mode {@code self-supervised} needs the
 * model in {@code feed.sample.models} ({@code BAD_REQUEST}). Blocking (it looks at the file
 * system).
 */
public final class Triggers {
  private final RunBook book;
  private final Path modelsDir;
  private final TrainParams defaults;
  private final RunLimits limits;
  private final TrainParams selfSupervisedDefaults;
  private final Predicate<String> sampled;

  public Triggers(RunBook book, Path modelsDir, TrainParams defaults) {
    this(book, modelsDir, defaults, defaults, m -> false, RunLimits.none());
  }

  public Triggers(RunBook book, Path modelsDir, TrainParams defaults, RunLimits limits) {
    this(book, modelsDir, defaults, defaults, m -> false, limits);
  }

  /**
   * {@code selfSupervisedDefaults}: the defaults of runs of mode self-supervised; {@code sampled}:
   * whether the feed sample takes frames of a model (self-supervised runs need it).
   */
  public Triggers(
      RunBook book,
      Path modelsDir,
      TrainParams defaults,
      TrainParams selfSupervisedDefaults,
      Predicate<String> sampled) {
    this(book, modelsDir, defaults, selfSupervisedDefaults, sampled, RunLimits.none());
  }

  public Triggers(
      RunBook book,
      Path modelsDir,
      TrainParams defaults,
      TrainParams selfSupervisedDefaults,
      Predicate<String> sampled,
      RunLimits limits) {
    this.book = book;
    this.modelsDir = modelsDir;
    this.defaults = defaults;
    this.selfSupervisedDefaults = selfSupervisedDefaults;
    this.sampled = sampled;
    this.limits = limits;
  }

  public RunBook book() {
    return book;
  }

  /** Queues a run of {@code model} with {@code params} (null = defaults) from {@code trigger}. */
  public TrainingRun submit(String model, JsonObject params, String trigger) {
    ModelNames.check(model, ErrorCode.BAD_REQUEST);
    if (!Files.isRegularFile(modelsDir.resolve(model).resolve(ModelCard.FILE))) {
      throw new DenoiserException(
          ErrorCode.MODEL_NOT_FOUND,
          "no model '"
              + model
              + "' to train in "
              + modelsDir
              + " (the trainer fine-tunes a model that is being served)");
    }
    TrainParams p = TrainParams.fromJson(params, defaults, selfSupervisedDefaults);
    if (p.selfSupervised() && !sampled.test(model)) {
      throw new DenoiserException(
          ErrorCode.BAD_REQUEST,
          "a self-supervised run of '"
              + model
              + "' learns from the frames it serves: add it to feed.sample.models");
    }
    return book.submit(model, limits.check(p), trigger);
  }
}
