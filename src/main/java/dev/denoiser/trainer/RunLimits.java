package dev.denoiser.trainer;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.error.DenoiserException;
import dev.denoiser.error.ErrorCode;

/**
 * How much work one run may ask for, whatever started it: at most {@code trainer.maxEpochImages}
 * epochs x training images ({@code limit} 0, all of MNIST, counts as {@value #ALL_IMAGES}) and a
 * batch size of at least {@code trainer.minBatchSize}. A run over them is refused with {@code
 * BAD_REQUEST} before it is queued.
 */
public record RunLimits(long maxEpochImages, int minBatchSize) {
  /** What {@code limit: 0} means: the MNIST training set. */
  static final int ALL_IMAGES = 60_000;

  public static RunLimits from(Settings s) {
    return new RunLimits(
        s.getLong(Setting.TRAINER_MAX_EPOCH_IMAGES), s.getInt(Setting.TRAINER_MIN_BATCH_SIZE));
  }

  /** No limits beyond those of {@link TrainParams}. */
  public static RunLimits none() {
    return new RunLimits(Long.MAX_VALUE, 1);
  }

  /**
   * @throws DenoiserException BAD_REQUEST when {@code p} asks for more than the limits allow
   */
  public TrainParams check(TrainParams p) {
    if (p.batchSize() < minBatchSize) {
      throw new DenoiserException(
          ErrorCode.BAD_REQUEST,
          "batchSize must be at least "
              + minBatchSize
              + " (trainer.minBatchSize), got "
              + p.batchSize());
    }
    long images = p.limit() > 0 ? p.limit() : ALL_IMAGES;
    long work = (long) p.epochs() * images;
    if (work > maxEpochImages) {
      throw new DenoiserException(
          ErrorCode.BAD_REQUEST,
          "a run of "
              + p.epochs()
              + " epoch(s) x "
              + images
              + " images = "
              + work
              + " is over trainer.maxEpochImages ("
              + maxEpochImages
              + ")");
    }
    return p;
  }
}
