package dev.denoiser.model;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The console progress bar of the evaluation commands ({@code eval}, {@code eval-natural}), drawn
 * like training's ({@link ProgressBarListener}: ASCII, on stderr, redrawn every second): the count
 * of denoised images out of the total, the elapsed time and estimate, and images per second.
 */
public final class Progress {
  private Progress() {}

  /** A bar for {@code max} images on stderr. */
  public static ProgressBar images(String task, long max) {
    return builder(task, max).build();
  }

  /** The same bar drawn to {@code consumer} instead of stderr. */
  public static ProgressBar images(String task, long max, ProgressBarConsumer consumer) {
    return builder(task, max).setConsumer(consumer).build();
  }

  /** Shows {@code what} after the speed (the bar itself puts no space between them). */
  public static void say(ProgressBar bar, String what) {
    bar.setExtraMessage(" " + what);
  }

  private static ProgressBarBuilder builder(String task, long max) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(1000)
        .continuousUpdate()
        .setUnit(" img", 1)
        .showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
  }
}
