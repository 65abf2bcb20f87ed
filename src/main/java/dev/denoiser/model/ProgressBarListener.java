package dev.denoiser.model;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar for training (on stderr): one bar per epoch showing the step, the running
 * loss and images per second.
 */
public final class ProgressBarListener implements TrainListener, AutoCloseable {
  private final String name;
  private final String unit;
  private ProgressBar bar;

  public ProgressBarListener(String name) {
    this(name, "img");
  }

  /** A bar whose speed counts {@code unit} per second (e.g. "patches"). */
  public ProgressBarListener(String name, String unit) {
    this.name = name;
    this.unit = unit;
  }

  @Override
  public void epochStarted(int epoch, int epochs, int steps) {
    close();
    bar =
        new ProgressBarBuilder()
            .setTaskName(name + " epoch " + (epoch + 1) + "/" + epochs)
            .setInitialMax(steps)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .continuousUpdate()
            .build();
  }

  @Override
  public void stepDone(int epoch, int step, double loss, double imagesPerSecond) {
    if (bar != null) {
      bar.stepTo(step + 1L);
      bar.setExtraMessage(
          String.format(
              java.util.Locale.ROOT, "loss %.5f, %.0f %s/s", loss, imagesPerSecond, unit));
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
