package dev.denoiser.model;

/**
 * Measures checkerboard artifacts: the model's output for a constant grey input should be flat, and
 * any energy at the Nyquist frequencies (a pattern that alternates every pixel, by rows, by
 * columns, or both) is an artifact of the upsampling. Reported as the RMS amplitude of the three
 * Nyquist components, on the interior of a 64x64 output (a border of 16 pixels is dropped so the
 * zero padding, which reaches about 12 pixels in, does not count), in grey levels of [0,1].
 */
public final class Checkerboard {
  public static final int SIZE = 64;
  public static final int BORDER = 16;
  public static final float GREY = 0.5f;

  private Checkerboard() {}

  /** The Nyquist amplitude of a fully convolutional model's response to flat grey. */
  public static double nyquist(NetModel model) {
    float[] x = new float[SIZE * SIZE];
    java.util.Arrays.fill(x, GREY);
    return nyquist(model.predict(x, 1, SIZE, SIZE).denoised(), SIZE, SIZE, BORDER);
  }

  /** RMS of the (pi,0), (0,pi) and (pi,pi) Fourier amplitudes of the image's interior. */
  public static double nyquist(float[] img, int h, int w, int border) {
    double rows = 0;
    double cols = 0;
    double both = 0;
    int count = 0;
    for (int y = border; y < h - border; y++) {
      for (int x = border; x < w - border; x++) {
        double v = img[y * w + x];
        int sy = (y & 1) == 0 ? 1 : -1;
        int sx = (x & 1) == 0 ? 1 : -1;
        rows += sy * v;
        cols += sx * v;
        both += sy * sx * v;
        count++;
      }
    }
    rows /= count;
    cols /= count;
    both /= count;
    return Math.sqrt((rows * rows + cols * cols + both * both) / 3);
  }
}
