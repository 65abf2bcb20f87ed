package dev.denoiser.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graph of several views is the mean of the one-pass network over flipped and transposed copies
 * of the frame, each turned back: checked against the one-pass graph run by hand on each copy, on a
 * frame that is not square.
 */
class ViewsTest {
  static final int H = 12;
  static final int W = 20;

  /** Symmetry {@code t} of an h x w plane (bit 1 flips rows, 2 columns, 4 then transposes). */
  static float[] turn(float[] px, int h, int w, int t) {
    boolean tr = (t & 4) != 0;
    int oh = tr ? w : h;
    int ow = tr ? h : w;
    float[] out = new float[px.length];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int sy = tr ? x : y;
        int sx = tr ? y : x;
        if ((t & 1) != 0) {
          sy = h - 1 - sy;
        }
        if ((t & 2) != 0) {
          sx = w - 1 - sx;
        }
        out[y * ow + x] = px[sy * w + sx];
      }
    }
    return out;
  }

  /** The inverse of {@link #turn}: {@code px} is the turned plane of an h x w frame. */
  static float[] back(float[] px, int h, int w, int t) {
    boolean tr = (t & 4) != 0;
    int ow = tr ? h : w;
    float[] out = new float[px.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int fy = (t & 1) != 0 ? h - 1 - y : y;
        int fx = (t & 2) != 0 ? w - 1 - x : x;
        out[y * w + x] = tr ? px[fx * ow + fy] : px[fy * ow + fx];
      }
    }
    return out;
  }

  @Test
  void turningBackUndoesEverySymmetry() {
    float[] px = OnnxParityTest.random(H * W, 3);
    for (int t = 0; t < 8; t++) {
      assertArrayEquals(px, back(turn(px, H, W, t), H, W, t), "symmetry " + t);
    }
  }

  @Test
  void eachViewCountIsTheMeanOfTheOnePassNetworkOverItsSymmetries(@TempDir Path dir) {
    NetSpec one = new NetSpec(ResidualUNet.NAME, 4, 8, 0, 0, 1, true);
    Path single = dir.resolve("one");
    try (NetModel m = NetModel.init(one, 5)) {
      OnnxExporter.export(one, m.weights(), OnnxExporter.card("one", one, 1, null), single);
    }
    float[] frame = OnnxParityTest.random(H * W, 11);
    for (int i = 0; i < frame.length; i++) {
      frame[i] = 0.3f + 0.4f * frame[i];
    }
    for (int views : new int[] {2, 4, 8}) {
      Path dirV = dir.resolve("v" + views);
      ModelCard card = OnnxExporter.withViews(single.resolve(ModelCard.MODEL_FILE), views, dirV);
      assertEquals(views, card.json().getJsonObject("net").getInteger("views"));
      OnnxImporter.Imported im = OnnxImporter.read(dirV.resolve(ModelCard.MODEL_FILE));
      assertEquals(views, im.spec().views());
      float[] expected = new float[H * W];
      int[] set = OnnxExporter.VIEW_SETS.get(views);
      assertEquals(views, set.length);
      try (OrtModel m = new OrtModel(single.resolve(ModelCard.MODEL_FILE), 1)) {
        for (int t : set) {
          boolean tr = (t & 4) != 0;
          float[] out = m.run(turn(frame, H, W, t), 1, tr ? W : H, tr ? H : W).denoised();
          float[] b = back(out, H, W, t);
          for (int i = 0; i < b.length; i++) {
            expected[i] += b[i] / views;
          }
        }
      }
      float[] got;
      try (OrtModel m = new OrtModel(dirV.resolve(ModelCard.MODEL_FILE), 1)) {
        got = m.run(frame, 1, H, W).denoised();
      }
      double worst = 0;
      double spread = 0;
      float[] first;
      try (OrtModel m = new OrtModel(single.resolve(ModelCard.MODEL_FILE), 1)) {
        first = m.run(frame, 1, H, W).denoised();
      }
      for (int i = 0; i < got.length; i++) {
        worst = Math.max(worst, Math.abs(got[i] - expected[i]));
        spread = Math.max(spread, Math.abs(first[i] - expected[i]));
      }
      assertTrue(worst < 1e-5, views + " views: off by " + worst);
      assertTrue(spread > 1e-4, views + " views: no different from one pass (" + spread + ")");
    }
  }

  @Test
  void viewsAreForTheNaturalNetworksOnly() {
    assertThrows(
        ModelException.class, () -> new NetSpec("conv-upsample", 8, 8, 0, 0, 0, false, 1, 2));
    assertThrows(
        ModelException.class, () -> new NetSpec(ResidualUNet.NAME, 8, 8, 0, 0, 0, false, 1, 3));
    NetSpec s = new NetSpec(ResidualUNet.NAME, 8, 8, 0, 0, 1, true).withViews(4);
    assertEquals(s, NetSpec.fromJson(s.toJson()));
    assertEquals(1, NetSpec.fromJson(s.withViews(1).toJson()).views());
    assertTrue(!s.withViews(1).toJson().containsKey("views"));
  }

  @Test
  void theColourWrapperIsOnePassOfAGrayModelWithViews(@TempDir Path dir) {
    NetSpec spec = new NetSpec(ResidualUNet.NAME, 4, 8, 0, 0, 1, true).withViews(2);
    Path gray = dir.resolve("gray");
    try (NetModel m = NetModel.init(spec, 3)) {
      OnnxExporter.export(spec, m.weights(), OnnxExporter.card("g", spec, 1, null), gray);
    }
    ModelCard c =
        OpponentColour.export("c", gray.resolve(ModelCard.MODEL_FILE), dir.resolve("c"), 1, null);
    assertEquals(1, NetSpec.fromJson(c.json().getJsonObject("net")).views());
  }
}
