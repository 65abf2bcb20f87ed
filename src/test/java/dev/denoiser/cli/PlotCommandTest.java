package dev.denoiser.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.model.Chart;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plot}: the frames/s-against-PSNR chart from a CSV (one series per PSNR column, labelled
 * points, ranges as whiskers), a clear error for a bad CSV, and loss.png redrawn from a shipped
 * card without training.
 */
class PlotCommandTest {
  @TempDir Path dir;

  @Test
  void speedPsnrFromCsv() throws Exception {
    Path csv = dir.resolve("speed.csv");
    Files.writeString(
        csv,
        "network,frames/s low,frames/s high,sigma 15,sigma 25\n"
            + "a,10,10,30.1,28.0\n"
            + "b,14.4,16.3,31.4,29.4\n"
            + "c,6,6,32.1,30.1\n");
    Chart c = new PlotCommand.SpeedPsnr().chart(Files.readAllLines(csv));
    assertEquals(2, c.series().size());
    assertEquals("sigma 15", c.series().get(0).name());
    assertEquals(15.35, c.series().get(0).x()[1], 1e-9, "a range is drawn at its middle");
    assertTrue(c.xAxis().min() <= 6 && c.xAxis().max() >= 16.3, "x covers the ranges");
    assertTrue(c.yAxis().min() <= 28.0 && c.yAxis().max() >= 32.1, "y covers every series");

    Path png = dir.resolve("out.png");
    assertEquals(
        0, Main.run("plot", "speed-psnr", "--csv", csv.toString(), "--out", png.toString()));
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(760, img.getWidth());
    assertEquals(480, img.getHeight());

    Files.writeString(csv, "network,frames/s low,frames/s high,sigma 15\na,ten,10,30\n");
    assertNotEquals(0, Main.run("plot", "speed-psnr", "--csv", csv.toString()));
  }

  @Test
  void lossPngFromTheCard() throws Exception {
    Path m = dir.resolve("models/vae");
    Files.createDirectories(m);
    Files.copy(Path.of("models/vae/card.json"), m.resolve("card.json"));
    assertEquals(
        0,
        Main.run("plot", "models", "--no-samples", "--models", dir.resolve("models").toString()));
    BufferedImage img = ImageIO.read(m.resolve("loss.png").toFile());
    assertEquals(640, img.getWidth());
    List<Integer> codes =
        List.of(
            Main.run(
                "plot",
                "models",
                "--no-samples",
                "--models",
                dir.resolve("models").toString(),
                "nothing-here"));
    assertNotEquals(0, codes.get(0), "an unknown model is an error");
  }
}
