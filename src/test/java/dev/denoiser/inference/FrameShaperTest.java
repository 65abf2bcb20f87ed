package dev.denoiser.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.frame.Frame;
import dev.denoiser.model.ModelCard;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The cutting and pasting of {@link FrameShaper} with an identity "model" (outputs = inputs):
 * whatever the padding, tiling and channel handling, every frame must come back exactly.
 */
class FrameShaperTest {
  static ModelCard card(int channels, int multiple) {
    return new ModelCard(
        "m", "test", 1, null, 0, 0, multiple, 2, new JsonObject().put("channels", channels));
  }

  static Frame frame(int c, int h, int w, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] px = new float[c * h * w];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) r.nextDouble();
    }
    return new Frame(px, h, w, "s", "f" + seed, c);
  }

  /** Runs the plan through an identity model whose latent is the piece's mean. */
  static float[][][] identity(FrameShaper s, List<Frame> frames) {
    FrameShaper.Plan p = s.plan(frames);
    float[][] out = p.pieces().toArray(new float[0][]);
    float[][] lat = new float[out.length][];
    for (int i = 0; i < out.length; i++) {
      double sum = 0;
      for (float v : out[i]) {
        sum += v;
      }
      lat[i] = new float[] {(float) (sum / out[i].length), 1f};
    }
    return s.assemble(p, out, lat);
  }

  @Test
  void aFrameThatAlreadyFitsIsNotCopied() {
    FrameShaper s = new FrameShaper(card(1, 4), FrameShaper.Tiling.DEFAULT);
    Frame f = frame(1, 28, 28, 7);
    FrameShaper.Plan p = s.plan(List.of(f));
    assertTrue(p.pieces().get(0) == f.pixels(), "the frame's own pixels go to the model");
    float[] out = new float[f.pixelCount()];
    assertTrue(
        s.assemble(p, new float[][] {out}, new float[][] {{1f}})[0][0] == out,
        "the model's output is the reply");
  }

  @Test
  void padsAnySizeToTheMultipleAndCropsBack() {
    FrameShaper s = new FrameShaper(card(1, 4), FrameShaper.Tiling.DEFAULT);
    List<Frame> frames = List.of(frame(1, 479, 641, 1), frame(1, 479, 641, 2));
    FrameShaper.Plan p = s.plan(frames);
    assertEquals(480, p.height());
    assertEquals(512, p.width());
    float[][][] back = identity(s, frames);
    assertArrayEquals(frames.get(0).pixels(), back[0][0]);
    assertArrayEquals(frames.get(1).pixels(), back[0][1]);
  }

  @Test
  void tilesLargeFramesWithOverlapAndStitchThemExactly() {
    FrameShaper.Tiling small = new FrameShaper.Tiling(64, 8, 64 * 64 * 3);
    FrameShaper s = new FrameShaper(card(1, 4), small);
    Frame f = frame(1, 150, 203, 3);
    FrameShaper.Plan p = s.plan(List.of(f));
    assertEquals(64, p.height());
    assertEquals(64, p.width());
    assertTrue(p.pieces().size() > 4, "a 150x203 frame needs several 64x64 tiles");
    assertEquals(3, s.piecesPerRun(p));
    assertArrayEquals(f.pixels(), identity(s, List.of(f))[0][0]);
  }

  @Test
  void grayModelsDenoiseEachChannelOfColourFrames() {
    FrameShaper s = new FrameShaper(card(1, 4), FrameShaper.Tiling.DEFAULT);
    Frame f = frame(3, 9, 10, 4);
    FrameShaper.Plan p = s.plan(List.of(f));
    assertEquals(3, p.pieces().size());
    assertEquals(1, p.channels());
    assertArrayEquals(f.pixels(), identity(s, List.of(f))[0][0]);
  }

  @Test
  void colourModelsSeeGrayFramesAsEqualChannels() {
    FrameShaper s = new FrameShaper(card(3, 4), FrameShaper.Tiling.DEFAULT);
    Frame f = frame(1, 8, 12, 5);
    FrameShaper.Plan p = s.plan(List.of(f));
    assertEquals(3, p.channels());
    float[] piece = p.pieces().get(0);
    assertEquals(piece[0], piece[8 * 12]);
    float[][][] back = identity(s, List.of(f));
    assertEquals(f.pixelCount(), back[0][0].length);
    for (int i = 0; i < f.pixelCount(); i++) {
      assertEquals(f.pixels()[i], back[0][0][i], 1e-6);
    }
    Frame rgb = frame(3, 8, 12, 6);
    assertArrayEquals(rgb.pixels(), identity(s, List.of(rgb))[0][0]);
  }
}
