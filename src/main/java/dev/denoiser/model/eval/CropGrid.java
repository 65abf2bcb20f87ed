package dev.denoiser.model.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The picture grid of the natural-image report: one row per noise level, columns noisy | best
 * classical | ours | clean, each a gray crop enlarged by {@link #ZOOM} (nearest neighbour), with
 * column titles, row titles and a caption per tile, drawn headless with Java2D.
 */
public final class CropGrid {
  public static final int ZOOM = 2;
  private static final int LEFT = 90;
  private static final int TOP = 28;
  private static final int CAPTION = 20;
  private static final int GAP = 8;
  private static final String[] COLUMNS = {"noisy", "best classical", "ours", "clean"};

  private CropGrid() {}

  /** One tile: a gray crop and its caption. */
  public record Tile(Image crop, String caption) {}

  /** One row: a title ({@code "sigma 25"}) and four tiles in column order. */
  public record Row(String title, List<Tile> tiles) {}

  /** Draws the grid. */
  public static BufferedImage draw(List<Row> rows) {
    Image first = rows.get(0).tiles().get(0).crop();
    int tw = first.width() * ZOOM;
    int th = first.height() * ZOOM;
    int width = LEFT + COLUMNS.length * (tw + GAP);
    int height = TOP + rows.size() * (th + CAPTION + GAP);
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      for (int c = 0; c < COLUMNS.length; c++) {
        centered(g, COLUMNS[c], LEFT + c * (tw + GAP), tw, TOP - 9);
      }
      for (int r = 0; r < rows.size(); r++) {
        Row row = rows.get(r);
        int y0 = TOP + r * (th + CAPTION + GAP);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(row.title(), 8, y0 + th / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int c = 0; c < row.tiles().size(); c++) {
          Tile t = row.tiles().get(c);
          int x0 = LEFT + c * (tw + GAP);
          paint(out, t.crop(), x0, y0);
          centered(g, t.caption(), x0, tw, y0 + th + CAPTION - 6);
        }
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Draws and writes the grid as PNG. */
  public static void write(List<Row> rows, Path png) {
    try {
      if (png.getParent() != null) {
        Files.createDirectories(png.getParent());
      }
      ImageIO.write(draw(rows), "png", png.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png, e);
    }
  }

  private static void paint(BufferedImage out, Image crop, int x0, int y0) {
    float[] d = crop.data();
    for (int y = 0; y < crop.height() * ZOOM; y++) {
      for (int x = 0; x < crop.width() * ZOOM; x++) {
        int v = Math.round(Math.min(255f, Math.max(0f, d[(y / ZOOM) * crop.width() + x / ZOOM])));
        out.setRGB(x0 + x, y0 + y, (v << 16) | (v << 8) | v);
      }
    }
  }

  private static void centered(Graphics2D g, String text, int x0, int w, int baseline) {
    FontMetrics fm = g.getFontMetrics();
    String s = text;
    while (fm.stringWidth(s) > w && s.length() > 4) {
      s = s.substring(0, s.length() - 2);
    }
    g.drawString(s, x0 + (w - fm.stringWidth(s)) / 2, baseline);
  }
}
