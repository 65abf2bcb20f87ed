package dev.denoiser.model.eval;

import dev.denoiser.frame.Mirror;
import java.util.Arrays;

/** Median filter over a square window ({@code size} x {@code size}), reflected at the borders. */
public final class Median implements Denoiser {
  private final int size;

  public Median(int size) {
    if (size < 1 || size % 2 == 0) {
      throw new IllegalArgumentException("median size must be odd and positive, got " + size);
    }
    this.size = size;
  }

  @Override
  public String name() {
    return "median " + size + "x" + size;
  }

  @Override
  public Image denoise(Image noisy) {
    return noisy.perChannel(this::filter);
  }

  private Image filter(Image img) {
    int w = img.width();
    int h = img.height();
    int r = size / 2;
    float[] src = img.data();
    float[] out = new float[src.length];
    float[] win = new float[size * size];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int k = 0;
        for (int dy = -r; dy <= r; dy++) {
          int row = Mirror.index(y + dy, h) * w;
          for (int dx = -r; dx <= r; dx++) {
            win[k++] = src[row + Mirror.index(x + dx, w)];
          }
        }
        Arrays.sort(win);
        out[y * w + x] = win[win.length / 2];
      }
    }
    return new Image(w, h, 1, out);
  }
}
