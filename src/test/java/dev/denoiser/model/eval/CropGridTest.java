package dev.denoiser.model.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CropGridTest {

  @Test
  void drawsOneRowPerSigmaAndFourColumnsHeadless() {
    System.setProperty("java.awt.headless", "true");
    Image crop = Synthetic.scene(32, 32, 1);
    List<CropGrid.Row> rows = new ArrayList<>();
    for (String s : new String[] {"sigma 15", "sigma 25"}) {
      List<CropGrid.Tile> tiles = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        tiles.add(new CropGrid.Tile(crop, "tile " + c));
      }
      rows.add(new CropGrid.Row(s, tiles));
    }
    BufferedImage img = CropGrid.draw(rows);
    assertTrue(img.getWidth() > 4 * 32 * CropGrid.ZOOM);
    assertTrue(img.getHeight() > 2 * 32 * CropGrid.ZOOM);
    assertEquals(0xffffff, img.getRGB(0, 0) & 0xffffff, "white background");
  }
}
