package dev.denoiser.model.eval;

/** Synthetic test images: flat regions, edges and a ramp, like a small natural scene. */
final class Synthetic {
  private Synthetic() {}

  static Image scene(int width, int height, int channels) {
    float[] d = new float[width * height * channels];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          float v = 40 + 120f * x / width;
          if (x > width / 4 && x < width / 2 && y > height / 4 && y < 3 * height / 4) {
            v = 210 - 30 * c;
          }
          if ((x - 3 * width / 4) * (x - 3 * width / 4) + (y - height / 2) * (y - height / 2)
              < height * height / 25) {
            v = 20 + 10 * c;
          }
          d[c * width * height + y * width + x] = Math.round(v);
        }
      }
    }
    return new Image(width, height, channels, d);
  }
}
