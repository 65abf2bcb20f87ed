package dev.denoiser.model;

import java.awt.BasicStroke;
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
 * Small PNGs for the model directories: a grid of sample digits (rows: noisy, denoised, clean) and
 * a loss curve. Drawn headless with Java2D.
 */
public final class Png {
  private Png() {}

  /**
   * Writes rows of {@code n} h x w images each (one float array per row, values in [0,1]), every
   * pixel drawn as a {@code scale} x {@code scale} block.
   */
  public static void grid(Path file, List<float[]> rows, int n, int h, int w, int scale)
      throws IOException {
    int gap = 2;
    BufferedImage img =
        new BufferedImage(
            n * (w * scale + gap) + gap,
            rows.size() * (h * scale + gap) + gap,
            BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(128, 128, 128));
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.dispose();
    for (int r = 0; r < rows.size(); r++) {
      float[] data = rows.get(r);
      for (int i = 0; i < n; i++) {
        int ox = gap + i * (w * scale + gap);
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
    ImageIO.write(img, "png", file.toFile());
  }

  /**
   * A line chart of {@code values} (e.g. loss every 50 steps) on a log scale when they are all
   * positive, labelled with the largest and smallest value.
   */
  public static void curve(Path file, List<Double> raw, String title) throws IOException {
    boolean log = !raw.isEmpty() && raw.stream().allMatch(v -> v > 0);
    List<Double> values = log ? raw.stream().map(Math::log10).toList() : raw;
    int width = 360;
    int height = 180;
    int pad = 30;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.GRAY);
    g.drawRect(pad, pad / 2, width - pad - 10, height - pad - pad / 2);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    g.setColor(Color.BLACK);
    g.drawString(title + (log ? " (log scale)" : ""), pad, 11);
    if (!values.isEmpty()) {
      double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
      double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
      double span = max > min ? max - min : 1;
      int x0 = pad;
      int y0 = pad / 2;
      int pw = width - pad - 10;
      int ph = height - pad - pad / 2;
      g.drawString(
          String.format(java.util.Locale.ROOT, "%.3g", log ? Math.pow(10, max) : max), 2, y0 + 10);
      g.drawString(
          String.format(java.util.Locale.ROOT, "%.3g", log ? Math.pow(10, min) : min), 2, y0 + ph);
      g.setColor(new Color(30, 90, 200));
      g.setStroke(new BasicStroke(1.5f));
      int n = values.size();
      int px = x0;
      int py = y0 + (int) ((max - values.get(0)) / span * ph);
      for (int i = 1; i < n; i++) {
        int x = x0 + (int) ((double) i / Math.max(1, n - 1) * pw);
        int y = y0 + (int) ((max - values.get(i)) / span * ph);
        g.drawLine(px, py, x, y);
        px = x;
        py = y;
      }
    }
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }
}
