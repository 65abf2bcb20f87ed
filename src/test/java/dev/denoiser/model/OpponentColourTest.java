package dev.denoiser.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The colour wrapper must compute exactly: RGB to the three channels, the gray model on each, and
 * back; checked against the same steps done by hand around the gray model.
 */
class OpponentColourTest {
  @Test
  void matchesTheGrayModelRunOnEachDecorrelatedChannel(@TempDir Path dir) {
    NetSpec spec = new NetSpec(ResidualUNet.NAME, 4, 8, 0, 0, 1, true);
    Path gray = dir.resolve("gray");
    try (NetModel m = NetModel.init(spec, 3)) {
      OnnxExporter.export(spec, m.weights(), OnnxExporter.card("g", spec, 1, null), gray);
    }
    ModelCard card =
        OpponentColour.export(
            "c", gray.resolve(ModelCard.MODEL_FILE), dir.resolve("colour"), 1, null);
    assertEquals(3, card.channels());
    assertEquals(3 * spec.arch().latentDim(spec), card.latentDim());
    int h = 12;
    int w = 20;
    int n = h * w;
    float[] rgb = OnnxParityTest.random(3 * n, 9);
    float[][] a = OpponentColour.FORWARD;
    float[][] inv = OpponentColour.inverse();
    float[] planes = new float[3 * n];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        planes[c * n + i] =
            a[c][0] * rgb[i]
                + a[c][1] * rgb[n + i]
                + a[c][2] * rgb[2 * n + i]
                + OpponentColour.OFFSET[c];
      }
    }
    float[] den;
    try (OrtModel g = new OrtModel(gray.resolve(ModelCard.MODEL_FILE), 1)) {
      den = g.run(planes, 3, h, w).denoised();
    }
    NetModel.Prediction p;
    try (OrtModel c = new OrtModel(dir.resolve("colour").resolve(ModelCard.MODEL_FILE), 1)) {
      assertEquals(3, c.channels());
      p = c.run(rgb, 1, h, w);
    }
    double worst = 0;
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        double v = 0;
        for (int k = 0; k < 3; k++) {
          v += inv[c][k] * (den[k * n + i] - OpponentColour.OFFSET[k]);
        }
        v = Math.max(0, Math.min(1, v));
        worst = Math.max(worst, Math.abs(v - p.denoised()[c * n + i]));
      }
    }
    assertTrue(worst < 1e-4, "colour model differs from the hand-made pipeline by " + worst);
    // The transform and its inverse really are inverses.
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
          s += inv[i][k] * a[k][j];
        }
        assertEquals(i == j ? 1 : 0, s, 1e-6);
      }
    }
  }
}
