package dev.denoiser.inference;

import dev.denoiser.frame.Frame;
import dev.denoiser.frame.Mirror;
import dev.denoiser.model.ModelCard;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits frames to a model and the model's outputs back to the frames, so that callers can send
 * frames of any size and either colour to any model:
 *
 * <ul>
 *   <li>Size: a fully convolutional model gets the frame padded by reflection to its size multiple,
 *       and the output cropped back (a 641x479 frame is not an error).
 *   <li>Large frames: a side longer than {@link Tiling#tileSize} is cut into overlapping tiles
 *       whose origins are multiples of the size multiple (so every tile sees the same sampling grid
 *       as the whole frame); each tile gives back only its core, at least {@link Tiling#overlap}
 *       pixels from any cut, so seams do not show. All tiles of one frame have one shape and run
 *       together.
 *   <li>Colour: a gray model denoises each channel of a colour frame as a gray image (three times
 *       the compute); a colour model gets a gray frame as R = G = B and the mean of its three
 *       output channels comes back.
 * </ul>
 *
 * <p>The latent of a frame cut into pieces (tiles, channels) is the mean of the pieces' latents.
 */
final class FrameShaper {
  /** Tile side (a multiple of the model's size multiple), overlap, and pixels per ONNX run. */
  record Tiling(int tileSize, int overlap, long pixelsPerRun) {
    static final Tiling DEFAULT = new Tiling(512, 32, 1L << 20);
  }

  /** Model inputs of one shape [c,h,w], and how to put their outputs back. */
  record Plan(
      List<float[]> pieces,
      int channels,
      int height,
      int width,
      List<Frame> frames,
      int piecesPerFrame,
      Layout layout) {}

  /** Where each piece's core goes in its frame. */
  record Layout(int[] tileY, int[] tileX, int tileH, int tileW, int parts, boolean mixGray) {
    /** One piece that is the frame itself: no padding, tiles or channel change, so no copies. */
    boolean whole(Frame f) {
      return parts == 1
          && !mixGray
          && tileY.length == 1
          && tileX.length == 1
          && tileH == f.height()
          && tileW == f.width();
    }
  }

  private final int modelChannels;
  private final int multiple;
  private final boolean fixedSize;
  private final Tiling tiling;

  FrameShaper(ModelCard card, Tiling tiling) {
    this.modelChannels = card.json().getInteger("channels", 1);
    this.multiple = Math.max(1, card.sizeMultiple());
    this.fixedSize = !card.dynamicSize();
    this.tiling = tiling;
  }

  int modelChannels() {
    return modelChannels;
  }

  /** Most pieces of this plan's shape in one ONNX Runtime run (at least 1). */
  int piecesPerRun(Plan p) {
    return (int)
        Math.max(1, tiling.pixelsPerRun() / ((long) p.height() * p.width() * p.channels()));
  }

  /** The pieces of same-shape frames (the batcher only batches frames of one shape). */
  Plan plan(List<Frame> frames) {
    Frame first = frames.get(0);
    int h = first.height();
    int w = first.width();
    int[] ys = fixedSize ? new int[] {0} : origins(h);
    int[] xs = fixedSize ? new int[] {0} : origins(w);
    int th = fixedSize ? h : Math.min(tiling.tileSize(), roundUp(h));
    int tw = fixedSize ? w : Math.min(tiling.tileSize(), roundUp(w));
    int parts = first.channels() == 3 && modelChannels == 1 ? 3 : 1;
    boolean mixGray = first.channels() == 1 && modelChannels == 3;
    Layout layout = new Layout(ys, xs, th, tw, parts, mixGray);
    List<float[]> pieces = new ArrayList<>();
    for (Frame f : frames) {
      if (layout.whole(f)) {
        pieces.add(f.pixels());
        continue;
      }
      for (int part = 0; part < parts; part++) {
        for (int ty = 0; ty < ys.length; ty++) {
          for (int tx = 0; tx < xs.length; tx++) {
            pieces.add(
                cut(f, part, parts, tileStart(ys, ty, h, th), tileStart(xs, tx, w, tw), th, tw));
          }
        }
      }
    }
    return new Plan(pieces, modelChannels, th, tw, frames, parts * ys.length * xs.length, layout);
  }

  /** Per frame: the denoised pixels (the frame's channels and size) and the mean latent. */
  float[][][] assemble(Plan p, float[][] denoised, float[][] latent) {
    int n = p.frames().size();
    float[][] den = new float[n][];
    float[][] lat = new float[n][];
    Layout l = p.layout();
    for (int i = 0; i < n; i++) {
      Frame f = p.frames().get(i);
      lat[i] = mean(latent, i * p.piecesPerFrame(), p.piecesPerFrame());
      if (l.whole(f)) {
        den[i] = denoised[i];
        continue;
      }
      int h = f.height();
      int w = f.width();
      float[] out = new float[f.pixelCount()];
      int k = i * p.piecesPerFrame();
      for (int part = 0; part < l.parts(); part++) {
        for (int ty = 0; ty < l.tileY().length; ty++) {
          for (int tx = 0; tx < l.tileX().length; tx++) {
            paste(denoised[k++], out, part, l, ty, tx, h, w);
          }
        }
      }
      den[i] = out;
    }
    return new float[][][] {den, lat};
  }

  /** Core starts: 0, S, 2S, ... with S = tile - 2 * overlap (multiples of the size multiple). */
  private int[] origins(int size) {
    int padded = roundUp(size);
    int tile = tiling.tileSize();
    if (padded <= tile) {
      return new int[] {0};
    }
    int stride = Math.max(multiple, tile - 2 * tiling.overlap());
    int count = (size + stride - 1) / stride;
    int[] o = new int[count];
    for (int i = 0; i < count; i++) {
      o[i] = i * stride;
    }
    return o;
  }

  /** A tile reaches back by the overlap, but stays inside the padded frame. */
  private int tileStart(int[] cores, int index, int size, int tile) {
    int start = cores[index] - (cores.length == 1 ? 0 : tiling.overlap());
    return Math.max(0, Math.min(start, roundUp(size) - tile));
  }

  private int roundUp(int v) {
    return fixedSize ? v : (v + multiple - 1) / multiple * multiple;
  }

  /** One piece [modelChannels, th, tw] at (y0, x0) of the frame, mirrored past its edges. */
  private float[] cut(Frame f, int part, int parts, int y0, int x0, int th, int tw) {
    int h = f.height();
    int w = f.width();
    int plane = h * w;
    float[] src = f.pixels();
    float[] out = new float[modelChannels * th * tw];
    for (int c = 0; c < modelChannels; c++) {
      // Which plane of the frame feeds model channel c.
      int from = parts == 3 ? part : (f.channels() == 1 ? 0 : c);
      int base = from * plane;
      int o = c * th * tw;
      for (int y = 0; y < th; y++) {
        int row = base + Mirror.index(y0 + y, h) * w;
        for (int x = 0; x < tw; x++) {
          out[o++] = src[row + Mirror.index(x0 + x, w)];
        }
      }
    }
    return out;
  }

  /** Copies a piece's core into the frame's output. */
  private void paste(float[] piece, float[] out, int part, Layout l, int ty, int tx, int h, int w) {
    int y0 = tileStart(l.tileY(), ty, h, l.tileH());
    int x0 = tileStart(l.tileX(), tx, w, l.tileW());
    int yEnd = ty + 1 < l.tileY().length ? l.tileY()[ty + 1] : h;
    int xEnd = tx + 1 < l.tileX().length ? l.tileX()[tx + 1] : w;
    int plane = l.tileH() * l.tileW();
    // One plane per piece when the channels are split or mixed, else every channel.
    int writes = l.parts() == 3 || l.mixGray() ? 1 : out.length / (h * w);
    for (int c = 0; c < writes; c++) {
      int dst = (l.parts() == 3 ? part : c) * h * w;
      for (int y = l.tileY()[ty]; y < yEnd; y++) {
        for (int x = l.tileX()[tx]; x < xEnd; x++) {
          int at = (y - y0) * l.tileW() + (x - x0);
          out[dst + y * w + x] =
              l.mixGray()
                  ? (piece[at] + piece[plane + at] + piece[2 * plane + at]) / 3f
                  : piece[(l.parts() == 3 ? 0 : c) * plane + at];
        }
      }
    }
  }

  private static float[] mean(float[][] rows, int from, int count) {
    float[] out = new float[rows[from].length];
    for (int r = from; r < from + count; r++) {
      for (int j = 0; j < out.length; j++) {
        out[j] += rows[r][j] / count;
      }
    }
    return out;
  }
}
