package dev.denoiser.trainer;

import dev.denoiser.model.TrainListener;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the training loop's progress into its {@link TrainingRun} (every step) and the log (every
 * {@link #LOG_EVERY_NANOS} and at each epoch's end), and stops the loop at the next step once the
 * run is cancelled (shutdown). Called on the training thread.
 */
final class RunProgress implements TrainListener {
  private static final Logger LOG = LoggerFactory.getLogger(RunProgress.class);
  static final long LOG_EVERY_NANOS = 5_000_000_000L;
  private final TrainingRun run;
  private int epochs;
  private int steps;
  private long lastLog = System.nanoTime();

  RunProgress(TrainingRun run) {
    this.run = run;
  }

  @Override
  public void epochStarted(int epoch, int epochs, int steps) {
    this.epochs = epochs;
    this.steps = steps;
    run.progress(epoch + 1, epochs, 0, steps, Double.NaN, 0);
  }

  @Override
  public void stepDone(int epoch, int step, double loss, double imagesPerSecond) {
    if (run.cancelled()) {
      throw new CancellationException("run " + run.id() + " cancelled");
    }
    run.progress(epoch + 1, epochs, step + 1, steps, loss, imagesPerSecond);
    long now = System.nanoTime();
    if (now - lastLog >= LOG_EVERY_NANOS) {
      lastLog = now;
      LOG.info(
          "run {} ({}): epoch {}/{} step {}/{} loss {} at {} images/s",
          run.id(),
          run.model(),
          epoch + 1,
          epochs,
          step + 1,
          steps,
          String.format(java.util.Locale.ROOT, "%.5f", loss),
          Math.round(imagesPerSecond));
    }
  }

  @Override
  public void epochDone(int epoch, double meanLoss, double imagesPerSecond) {
    LOG.info(
        "run {} ({}): epoch {}/{} done, mean loss {} at {} images/s",
        run.id(),
        run.model(),
        epoch + 1,
        epochs,
        String.format(java.util.Locale.ROOT, "%.5f", meanLoss),
        Math.round(imagesPerSecond));
  }
}
