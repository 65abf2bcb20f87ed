package dev.denoiser.model;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A small line and scatter chart drawn headless with Java2D: a title, x and y axis labels, tick
 * marks with numbers on both axes (linear with 1-2-5 steps, or logarithmic), light grid lines, and
 * a legend when there is more than one series. Points may carry a text label and a horizontal range
 * (drawn as a whisker). The axes always cover every data value: the first tick is at or below the
 * smallest value and the last at or above the largest.
 */
public final class Chart {
  /** How a series is drawn. */
  public enum Mark {
    LINE,
    POINTS,
    LINE_AND_POINTS
  }

  /**
   * One series: its legend name, the x and y values, how it is drawn, and optionally a label and a
   * horizontal range [xLow, xHigh] per point (null when absent).
   */
  public record Series(
      String name,
      double[] x,
      double[] y,
      Mark mark,
      String[] labels,
      double[] xLow,
      double[] xHigh) {
    public Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException(
            name + ": " + x.length + " x values, " + y.length + " y");
      }
    }

    public static Series of(String name, double[] x, double[] y, Mark mark) {
      return new Series(name, x, y, mark, null, null, null);
    }

    /** The same series with a text label beside each point. */
    public Series withLabels(String... l) {
      return new Series(name, x, y, mark, l, xLow, xHigh);
    }

    /** The same series with a horizontal range per point. */
    public Series withXRange(double[] low, double[] high) {
      return new Series(name, x, y, mark, labels, low, high);
    }
  }

  /** An axis after layout: its label, scale, drawn range and tick values (ascending). */
  public record Axis(String label, boolean log, double min, double max, double[] ticks) {}

  /** Where the parts of the picture are, in pixels. The legend is null for one series. */
  public record Layout(
      Rectangle title, Rectangle plot, Rectangle xLabel, Rectangle yLabel, Rectangle legend) {}

  static final Color[] PALETTE = {
    new Color(31, 119, 180),
    new Color(255, 127, 14),
    new Color(44, 160, 44),
    new Color(214, 39, 40),
    new Color(148, 103, 189),
    new Color(140, 86, 75)
  };

  private static final int LEFT = 78;
  private static final int RIGHT = 24;
  private static final int TOP = 36;
  private static final int BOTTOM = 56;
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
  private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private boolean logY;
  private boolean integerX;
  private Double includeX;
  private int width = 640;
  private int height = 400;
  private Axis xCache;
  private final List<Rectangle> placed = new ArrayList<>();
  private Axis yCache;

  public Chart(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  public Chart add(Series s) {
    series.add(s);
    xCache = null;
    yCache = null;
    return this;
  }

  /** A logarithmic y axis (ignored when a y value is not positive). */
  public Chart logY(boolean on) {
    logY = on;
    xCache = null;
    yCache = null;
    return this;
  }

  /** Whole-number x ticks (epochs). */
  public Chart integerX() {
    integerX = true;
    xCache = null;
    yCache = null;
    return this;
  }

  /** Extends the x range to {@code x} (e.g. 0 for an axis of epochs). */
  public Chart includeX(double x) {
    includeX = x;
    xCache = null;
    yCache = null;
    return this;
  }

  public Chart size(int w, int h) {
    width = w;
    height = h;
    return this;
  }

  public List<Series> series() {
    return List.copyOf(series);
  }

  public Axis xAxis() {
    if (xCache == null) {
      xCache = computeXAxis();
    }
    return xCache;
  }

  public Axis yAxis() {
    if (yCache == null) {
      yCache = computeYAxis();
    }
    return yCache;
  }

  private Axis computeXAxis() {
    double[] r = range(true);
    if (includeX != null) {
      r[0] = Math.min(r[0], includeX);
      r[1] = Math.max(r[1], includeX);
    }
    double[] t = linearTicks(r[0], r[1], 7, integerX);
    return new Axis(xLabel, false, t[0], t[t.length - 1], t);
  }

  private Axis computeYAxis() {
    double[] r = range(false);
    boolean log = logY && r[0] > 0;
    double[] t = log ? logTicks(r[0], r[1]) : linearTicks(r[0], r[1], 7, false);
    return new Axis(yLabel, log, t[0], t[t.length - 1], t);
  }

  public Layout layout() {
    Rectangle plot = plotRect();
    Rectangle legend = series.size() > 1 ? legendBox(plot) : null;
    return new Layout(
        new Rectangle(0, 0, width, TOP - 8),
        plot,
        new Rectangle(LEFT, height - 24, plot.width, 24),
        new Rectangle(0, TOP, 24, plot.height),
        legend);
  }

  private Rectangle plotRect() {
    return new Rectangle(LEFT, TOP, width - LEFT - RIGHT, height - TOP - BOTTOM);
  }

  /** The pixel column of x value {@code v}. */
  public int xPixel(double v) {
    Axis a = xAxis();
    Rectangle p = plotRect();
    return p.x + (int) Math.round((v - a.min()) / (a.max() - a.min()) * p.width);
  }

  /** The pixel row of y value {@code v}. */
  public int yPixel(double v) {
    Axis a = yAxis();
    Rectangle p = plotRect();
    double f =
        a.log()
            ? (Math.log10(v) - Math.log10(a.min())) / (Math.log10(a.max()) - Math.log10(a.min()))
            : (v - a.min()) / (a.max() - a.min());
    return p.y + p.height - (int) Math.round(f * p.height);
  }

  public BufferedImage render() {
    Axis xa = xAxis();
    Axis ya = yAxis();
    Layout l = layout();
    Rectangle p = l.plot();
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(TITLE);
      centred(g, title, l.title().x, l.title().width, 22);
      drawTicks(g, xa, ya, p);
      g.setColor(Color.BLACK);
      g.setFont(LABEL);
      centred(g, xa.label(), p.x, p.width, height - 8);
      AffineTransform before = g.getTransform();
      g.rotate(-Math.PI / 2);
      // After the rotation, x runs up the picture (negated) and y to the right.
      centred(g, ya.label(), -(p.y + p.height), p.height, 16);
      g.setTransform(before);
      g.setColor(Color.DARK_GRAY);
      g.setStroke(new BasicStroke(1f));
      g.drawRect(p.x, p.y, p.width, p.height);
      g.clip(new Rectangle(p.x - 5, p.y - 5, p.width + 10, p.height + 10));
      placed.clear();
      for (int i = 0; i < series.size(); i++) {
        drawSeries(g, series.get(i), PALETTE[i % PALETTE.length]);
      }
      g.setClip(null);
      if (l.legend() != null) {
        drawLegend(g, l.legend());
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /** Renders and writes the chart as PNG, creating the directory if needed. */
  public void write(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      ImageIO.write(render(), "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private void drawTicks(Graphics2D g, Axis xa, Axis ya, Rectangle p) {
    g.setFont(TICK);
    FontMetrics fm = g.getFontMetrics();
    g.setStroke(new BasicStroke(1f));
    for (double t : xa.ticks()) {
      int x = xPixel(t);
      g.setColor(new Color(228, 228, 228));
      g.drawLine(x, p.y, x, p.y + p.height);
      g.setColor(Color.BLACK);
      g.drawLine(x, p.y + p.height, x, p.y + p.height + 5);
      String s = format(t, xa);
      g.drawString(s, x - fm.stringWidth(s) / 2, p.y + p.height + 7 + fm.getAscent());
    }
    for (double t : ya.ticks()) {
      int y = yPixel(t);
      g.setColor(new Color(228, 228, 228));
      g.drawLine(p.x, y, p.x + p.width, y);
      g.setColor(Color.BLACK);
      g.drawLine(p.x - 5, y, p.x, y);
      String s = format(t, ya);
      g.drawString(s, p.x - 8 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
    }
  }

  private void drawSeries(Graphics2D g, Series s, Color c) {
    g.setColor(c);
    g.setStroke(new BasicStroke(1.8f));
    int n = s.x().length;
    if (s.mark() != Mark.POINTS) {
      for (int i = 1; i < n; i++) {
        g.drawLine(xPixel(s.x()[i - 1]), yPixel(s.y()[i - 1]), xPixel(s.x()[i]), yPixel(s.y()[i]));
      }
    }
    g.setFont(TICK);
    for (int i = 0; i < n; i++) {
      int x = xPixel(s.x()[i]);
      int y = yPixel(s.y()[i]);
      if (s.xLow() != null && s.xLow()[i] < s.xHigh()[i]) {
        int a = xPixel(s.xLow()[i]);
        int b = xPixel(s.xHigh()[i]);
        g.drawLine(a, y, b, y);
        g.drawLine(a, y - 4, a, y + 4);
        g.drawLine(b, y - 4, b, y + 4);
      }
      if (s.mark() != Mark.LINE) {
        g.fillOval(x - 4, y - 4, 9, 9);
      }
      if (s.labels() != null && i < s.labels().length && s.labels()[i] != null) {
        g.setColor(Color.BLACK);
        Rectangle r = placeLabel(g.getFontMetrics(), s.labels()[i], x, y);
        g.drawString(s.labels()[i], r.x, r.y + g.getFontMetrics().getAscent());
        g.setColor(c);
      }
    }
  }

  /**
   * A place for a point's label that stays inside the plot and clear of the labels placed so far:
   * right of the point above it, then below it, left of it, and further up or down.
   */
  private Rectangle placeLabel(FontMetrics fm, String text, int x, int y) {
    int w = fm.stringWidth(text);
    int h = fm.getHeight();
    Rectangle p = plotRect();
    int[][] offsets = {
      {7, -h - 2},
      {7, 2},
      {-w - 7, -h - 2},
      {-w - 7, 2},
      {7, -2 * h - 2},
      {7, h + 2},
      {-w / 2, -2 * h - 4},
      {-w / 2, h + 6},
      {-w - 7, -2 * h - 2},
      {-w - 7, h + 2}
    };
    Rectangle first = null;
    for (int[] o : offsets) {
      Rectangle r = new Rectangle(x + o[0], y + o[1], w, h);
      if (first == null) {
        first = r;
      }
      if (p.contains(r) && placed.stream().noneMatch(r::intersects)) {
        placed.add(r);
        return r;
      }
    }
    placed.add(first);
    return first;
  }

  private void drawLegend(Graphics2D g, Rectangle box) {
    g.setColor(Color.WHITE);
    g.fill(box);
    g.setColor(Color.GRAY);
    g.draw(box);
    g.setFont(LABEL);
    FontMetrics fm = g.getFontMetrics();
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      int y = box.y + 8 + i * 18 + 6;
      g.setColor(PALETTE[i % PALETTE.length]);
      g.setStroke(new BasicStroke(2f));
      if (s.mark() != Mark.POINTS) {
        g.drawLine(box.x + 8, y, box.x + 30, y);
      }
      if (s.mark() != Mark.LINE) {
        g.fillOval(box.x + 15, y - 4, 9, 9);
      }
      g.setColor(Color.BLACK);
      g.drawString(s.name(), box.x + 38, y + fm.getAscent() / 2 - 1);
    }
  }

  /** The legend in the corner of the plot that holds the fewest data points. */
  private Rectangle legendBox(Rectangle p) {
    FontMetrics fm =
        new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics().getFontMetrics(LABEL);
    int w = 0;
    for (Series s : series) {
      w = Math.max(w, fm.stringWidth(s.name()));
    }
    int bw = w + 48;
    int bh = series.size() * 18 + 10;
    Rectangle best = null;
    int fewest = Integer.MAX_VALUE;
    int[][] corners = {
      {p.x + p.width - bw - 8, p.y + 8},
      {p.x + 8, p.y + 8},
      {p.x + p.width - bw - 8, p.y + p.height - bh - 8},
      {p.x + 8, p.y + p.height - bh - 8}
    };
    for (int[] c : corners) {
      Rectangle r = new Rectangle(c[0], c[1], bw, bh);
      Rectangle grown = new Rectangle(r.x - 60, r.y - 12, r.width + 60, r.height + 24);
      int inside = 0;
      for (Series s : series) {
        for (int i = 0; i < s.x().length; i++) {
          if (grown.contains(xPixel(s.x()[i]), yPixel(s.y()[i]))) {
            inside++;
          }
        }
      }
      if (inside < fewest) {
        fewest = inside;
        best = r;
      }
    }
    return best;
  }

  private double[] range(boolean x) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      double[] v = x ? s.x() : s.y();
      for (int i = 0; i < v.length; i++) {
        if (!Double.isFinite(v[i])) {
          continue;
        }
        lo = Math.min(lo, v[i]);
        hi = Math.max(hi, v[i]);
        if (x && s.xLow() != null) {
          lo = Math.min(lo, s.xLow()[i]);
          hi = Math.max(hi, s.xHigh()[i]);
        }
      }
    }
    if (lo > hi) {
      return new double[] {0, 1};
    }
    return new double[] {lo, hi};
  }

  /**
   * Ticks at multiples of a 1, 2 or 5 step, about {@code target} of them, from the last multiple at
   * or below {@code min} to the first at or above {@code max}.
   */
  public static double[] linearTicks(double min, double max, int target, boolean integer) {
    if (max <= min) {
      double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
      min -= pad;
      max += pad;
    }
    double raw = (max - min) / Math.max(1, target - 1);
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = mag;
    // The smallest 1-2-5 step that gives at most target + 1 ticks.
    for (double m : new double[] {1, 2, 5, 10, 20}) {
      step = m * mag;
      if (integer) {
        step = Math.max(1, Math.round(step));
      }
      long count = (long) Math.ceil(max / step - 1e-9) - (long) Math.floor(min / step + 1e-9) + 1;
      if (count <= target + 1) {
        break;
      }
    }
    long first = (long) Math.floor(min / step + 1e-9);
    long last = (long) Math.ceil(max / step - 1e-9);
    double[] t = new double[(int) (last - first + 1)];
    for (int i = 0; i < t.length; i++) {
      t[i] = clean((first + i) * step);
    }
    return t;
  }

  /**
   * Logarithmic ticks covering [min, max] (both positive): powers of ten when the range spans more
   * than two decades, else 1-2-5 multiples, else every multiple 1..9 of the decade.
   */
  public static double[] logTicks(double min, double max) {
    for (double[] mult : new double[][] {{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
      List<Double> all = new ArrayList<>();
      int lo = (int) Math.floor(Math.log10(min)) - 1;
      int hi = (int) Math.ceil(Math.log10(max)) + 1;
      for (int e = lo; e <= hi; e++) {
        for (double m : mult) {
          all.add(clean(m * Math.pow(10, e)));
        }
      }
      int a = 0;
      while (a + 1 < all.size() && all.get(a + 1) <= min * (1 + 1e-12)) {
        a++;
      }
      int b = all.size() - 1;
      while (b - 1 >= 0 && all.get(b - 1) >= max * (1 - 1e-12)) {
        b--;
      }
      if (b - a + 1 >= 4 || mult.length == 9) {
        double[] t = new double[b - a + 1];
        for (int i = a; i <= b; i++) {
          t[i - a] = all.get(i);
        }
        return t;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  private static double clean(double v) {
    return new BigDecimal(v).round(new MathContext(10)).doubleValue();
  }

  /** A tick value with no more digits than the ticks need to differ. */
  static String format(double v, Axis a) {
    if (v == 0) {
      return "0";
    }
    double abs = Math.abs(v);
    if (abs >= 1e6 || abs < 1e-4) {
      return String.format(Locale.ROOT, "%.0e", v);
    }
    if (!a.log() && a.ticks().length > 1) {
      double step = a.ticks()[1] - a.ticks()[0];
      int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
      return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
    return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }

  private static void centred(Graphics2D g, String text, int x0, int w, int baseline) {
    FontMetrics fm = g.getFontMetrics();
    g.drawString(text, x0 + Math.max(0, (w - fm.stringWidth(text)) / 2), baseline);
  }
}
