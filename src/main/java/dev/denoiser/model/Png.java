package dev.denoiser.model;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Small PNGs for the model directories: a grid of sample digits with row labels (noisy at the
 * model's noise, denoised, clean) and the training-loss chart ({@link Chart}). Drawn headless with
 * Java2D.
 */
public final class Png {
  private Png() {}

  /**
   * Writes rows of {@code n} h x w images each (one float array per row, values in [0,1]), every
   * pixel drawn as a {@code scale} x {@code scale} block, with the row's label at its left.
   */
  public static void grid(
      Path file, List<float[]> rows, List<String> labels, int n, int h, int w, int scale)
      throws IOException {
    ImageIO.write(gridImage(rows, labels, n, h, w, scale), "png", file.toFile());
  }

  /** The grid of {@link #grid} as an image. */
  public static BufferedImage gridImage(
      List<float[]> rows, List<String> labels, int n, int h, int w, int scale) {
    int gap = 2;
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D pg = probe.createGraphics();
    int left = 0;
    for (String l : labels) {
      left = Math.max(left, pg.getFontMetrics(font).stringWidth(l) + 12);
    }
    pg.dispose();
    BufferedImage img =
        new BufferedImage(
            left + n * (w * scale + gap) + gap,
            rows.size() * (h * scale + gap) + gap,
            BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, left, img.getHeight());
    g.setColor(new Color(128, 128, 128));
    g.fillRect(left, 0, img.getWidth() - left, img.getHeight());
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(font);
    g.setColor(Color.BLACK);
    for (int r = 0; r < rows.size() && r < labels.size(); r++) {
      int oy = gap + r * (h * scale + gap);
      g.drawString(labels.get(r), 6, oy + (h * scale + g.getFontMetrics().getAscent()) / 2 - 1);
    }
    g.dispose();
    for (int r = 0; r < rows.size(); r++) {
      float[] data = rows.get(r);
      for (int i = 0; i < n; i++) {
        int ox = left + gap + i * (w * scale + gap);
        int oy = gap + r * (h * scale + gap);
        for (int y = 0; y < h * scale; y++) {
          for (int x = 0; x < w * scale; x++) {
            float v = data[i * h * w + (y / scale) * w + x / scale];
            int gray = Math.round(Math.max(0, Math.min(1, v)) * 255);
            img.getRaster().setSample(ox + x, oy + y, 0, gray);
          }
        }
      }
    }
    return img;
  }

  /**
   * The training-loss chart of a model: the loss averaged over every {@link Trainer#CURVE_EVERY}
   * steps ({@code curve}, may be empty) and the mean of each epoch ({@code epochLoss}), against
   * epochs (a point at 0.5 is the middle of the first epoch); against steps for a single-epoch run.
   * The y axis is logarithmic when every value is positive and they span more than a factor of 4.
   */
  public static Chart lossChart(
      String model,
      TrainConfig.Loss loss,
      boolean variational,
      List<Double> curve,
      List<Double> epochLoss) {
    List<Double> all = new java.util.ArrayList<>(curve);
    all.addAll(epochLoss);
    double lo = all.stream().mapToDouble(Double::doubleValue).min().orElse(1);
    double hi = all.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    boolean log = lo > 0 && hi / lo > 4;
    boolean byStep = epochLoss.size() <= 1 && !curve.isEmpty();
    String x = byStep ? "training step" : "epoch (passes over the training set)";
    Chart c =
        new Chart(
                model + ": training loss",
                x,
                yLabel(loss, variational) + (log ? ", log scale" : ""))
            .logY(log)
            .includeX(0);
    if (!byStep) {
      c.integerX();
    }
    if (!curve.isEmpty()) {
      int epochs = Math.max(1, epochLoss.size());
      int perEpoch = Math.max(1, (curve.size() + epochs - 1) / epochs);
      double[] xs = new double[curve.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = byStep ? (i + 0.5) * Trainer.CURVE_EVERY : (i + 0.5) / perEpoch;
      }
      c.add(
          Chart.Series.of(
              "mean of every " + Trainer.CURVE_EVERY + " steps",
              xs,
              unbox(curve),
              Chart.Mark.LINE));
    }
    if (!byStep && !epochLoss.isEmpty()) {
      double[] xs = new double[epochLoss.size()];
      for (int e = 0; e < xs.length; e++) {
        xs[e] = e + 0.5;
      }
      c.add(
          Chart.Series.of(
              "mean over the epoch",
              xs,
              unbox(epochLoss),
              curve.isEmpty() ? Chart.Mark.LINE_AND_POINTS : Chart.Mark.POINTS));
    }
    return c;
  }

  /** Draws {@link #lossChart} to {@code file}. */
  public static void loss(
      Path file,
      String model,
      TrainConfig.Loss loss,
      boolean variational,
      List<Double> curve,
      List<Double> epochLoss) {
    lossChart(model, loss, variational, curve, epochLoss).write(file);
  }

  static String yLabel(TrainConfig.Loss loss, boolean variational) {
    return switch (loss) {
      case BCE ->
          variational
              ? "cross-entropy + KL per image (nats)"
              : "binary cross-entropy per pixel (nats)";
      case PSNR -> "minus mean PSNR (dB)";
      case MSE -> "mean squared error (pixels in [0, 1])";
    };
  }

  private static double[] unbox(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
