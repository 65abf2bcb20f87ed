package dev.denoiser.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The charts read on their own: a title, both axis labels, tick marks with numbers that cover the
 * data, and a legend only when there is more than one series. Checked on the rendered pixels.
 */
class ChartTest {
  private static Chart twoSeries() {
    return new Chart("title of the chart", "epoch (passes)", "loss (nats)")
        .add(
            Chart.Series.of(
                "running",
                new double[] {0.1, 0.5, 1.2, 2.7},
                new double[] {0.9, 0.4, 0.3, 0.25},
                Chart.Mark.LINE))
        .add(
            Chart.Series.of(
                "epoch mean",
                new double[] {0.5, 1.5, 2.5},
                new double[] {0.5, 0.3, 0.26},
                Chart.Mark.POINTS));
  }

  /** Pixels in {@code r} that are not white. */
  static int ink(BufferedImage img, Rectangle r) {
    int n = 0;
    for (int y = Math.max(0, r.y); y < Math.min(img.getHeight(), r.y + r.height); y++) {
      for (int x = Math.max(0, r.x); x < Math.min(img.getWidth(), r.x + r.width); x++) {
        if ((img.getRGB(x, y) & 0xffffff) != 0xffffff) {
          n++;
        }
      }
    }
    return n;
  }

  static boolean dark(BufferedImage img, int x, int y) {
    Color c = new Color(img.getRGB(x, y));
    return c.getRed() + c.getGreen() + c.getBlue() < 3 * 100;
  }

  @Test
  void titleAxisLabelsAndLegendAreDrawn() {
    Chart c = twoSeries();
    BufferedImage img = c.render();
    Chart.Layout l = c.layout();
    assertTrue(ink(img, l.title()) > 100, "title pixels: " + ink(img, l.title()));
    assertTrue(ink(img, l.xLabel()) > 100, "x label pixels: " + ink(img, l.xLabel()));
    assertTrue(ink(img, l.yLabel()) > 100, "y label pixels: " + ink(img, l.yLabel()));
    assertNotNull(l.legend(), "two series get a legend");
    for (Color series : new Color[] {Chart.PALETTE[0], Chart.PALETTE[1]}) {
      int found = 0;
      Rectangle r = l.legend();
      for (int y = r.y; y < r.y + r.height; y++) {
        for (int x = r.x; x < r.x + r.width; x++) {
          found += img.getRGB(x, y) == series.getRGB() ? 1 : 0;
        }
      }
      assertTrue(found > 5, "the legend shows the series colour " + series);
    }
    // The x label band is empty of the y label and vice versa: a chart without labels has none.
    Chart bare = new Chart("", "", "").add(c.series().get(0));
    BufferedImage b = bare.render();
    assertEquals(0, ink(b, bare.layout().xLabel()), "no x label, no ink in its band");
    assertEquals(0, ink(b, bare.layout().yLabel()), "no y label, no ink in its band");
    assertNull(bare.layout().legend(), "one series, no legend");
  }

  @Test
  void tickMarksAndNumbersSitAtTheTicks() {
    Chart c = twoSeries();
    BufferedImage img = c.render();
    Rectangle p = c.layout().plot();
    Chart.Axis xa = c.xAxis();
    Chart.Axis ya = c.yAxis();
    assertTrue(xa.ticks().length >= 3, "x ticks " + xa.ticks().length);
    assertTrue(ya.ticks().length >= 3, "y ticks " + ya.ticks().length);
    for (double t : xa.ticks()) {
      int x = c.xPixel(t);
      assertTrue(dark(img, x, p.y + p.height + 3), "x tick mark at " + t);
      assertTrue(
          ink(img, new Rectangle(x - 12, p.y + p.height + 7, 24, 14)) > 10,
          "x tick number under " + t);
    }
    for (double t : ya.ticks()) {
      int y = c.yPixel(t);
      assertTrue(dark(img, p.x - 3, y), "y tick mark at " + t);
      assertTrue(ink(img, new Rectangle(0, y - 7, p.x - 7, 14)) > 10, "y tick number at " + t);
    }
  }

  @Test
  void ticksAreMonotoneAndCoverTheData() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 2000; i++) {
      double scale = Math.pow(10, r.nextInt(-5, 6));
      double a = (r.nextDouble() - 0.5) * scale;
      double b = a + r.nextDouble() * scale * (r.nextBoolean() ? 1 : 1e-3);
      double[] t = Chart.linearTicks(a, b, 7, false);
      check(t, a, b);
      assertTrue(t.length >= 2 && t.length <= 9, a + ".." + b + ": " + t.length + " ticks");
      double lo = Math.abs(a) * scale + 1e-3 * scale;
      double hi = lo * (1 + r.nextDouble() * 1000);
      double[] lt = Chart.logTicks(lo, hi);
      check(lt, lo, hi);
      assertTrue(lt[0] > 0, "log ticks are positive");
      assertTrue(lt.length >= 2, lo + ".." + hi + ": " + lt.length + " log ticks");
    }
    double[] epochs = Chart.linearTicks(0, 3, 7, true);
    for (double e : epochs) {
      assertEquals(Math.rint(e), e, "whole epochs: " + e);
    }
    assertEquals(0, epochs[0]);
    assertEquals(3, epochs[epochs.length - 1]);
  }

  private static void check(double[] t, double min, double max) {
    for (int i = 1; i < t.length; i++) {
      assertTrue(t[i] > t[i - 1], "ticks increase: " + t[i - 1] + ", " + t[i]);
    }
    assertTrue(t[0] <= min, "first tick " + t[0] + " at or below " + min);
    assertTrue(t[t.length - 1] >= max, "last tick " + t[t.length - 1] + " at or above " + max);
  }

  @Test
  void lossChartHasEpochTicksAndBothSeries() {
    List<Double> curve = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      curve.add(0.5 / (1 + i));
    }
    Chart c = Png.lossChart("m", TrainConfig.Loss.BCE, false, curve, List.of(0.2, 0.03, 0.02));
    assertEquals(2, c.series().size());
    Chart.Axis x = c.xAxis();
    assertEquals(0, x.min());
    assertEquals(3, x.max());
    assertTrue(c.yAxis().log(), "a loss spanning 0.017..0.5 gets a log axis");
    assertTrue(c.yAxis().ticks()[0] <= 0.5 / 30);
    assertNotNull(c.layout().legend());
    // The curve's last point lies inside the last epoch, the epoch means at the epochs' middles.
    double[] cx = c.series().get(0).x();
    assertTrue(cx[cx.length - 1] > 2 && cx[cx.length - 1] < 3);
    assertEquals(2.5, c.series().get(1).x()[2]);

    Chart fromCard =
        Png.lossChart("m", TrainConfig.Loss.PSNR, false, List.of(), List.of(-23.9, -24.0, -24.05));
    assertEquals(1, fromCard.series().size());
    assertNull(fromCard.layout().legend());
    assertTrue(!fromCard.yAxis().log(), "negative losses stay linear");
    assertTrue(fromCard.yAxis().min() <= -24.05 && fromCard.yAxis().max() >= -23.9);
  }

  @Test
  void sampleGridLabelsEveryRow() {
    int n = 3;
    int h = 4;
    int w = 5;
    List<float[]> rows = List.of(new float[n * h * w], new float[n * h * w], new float[n * h * w]);
    BufferedImage img =
        Png.gridImage(rows, List.of("noisy, sigma 0.5", "denoised", "clean"), n, h, w, 4);
    int left = img.getWidth() - n * (w * 4 + 2) - 2;
    assertTrue(left > 40, "a label column: " + left);
    for (int r = 0; r < 3; r++) {
      Rectangle band = new Rectangle(0, 2 + r * (h * 4 + 2), left, h * 4);
      int dark = 0;
      for (int y = band.y; y < band.y + band.height; y++) {
        for (int x = 0; x < left; x++) {
          dark += img.getRaster().getSample(x, y, 0) < 128 ? 1 : 0;
        }
      }
      assertTrue(dark > 10, "row " + r + " has its label: " + dark);
    }
  }
}
