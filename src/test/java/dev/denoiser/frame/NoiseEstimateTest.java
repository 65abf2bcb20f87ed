package dev.denoiser.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.data.NaturalImages;
import dev.denoiser.data.VideoFrames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The clipping-aware noise estimate on real photos and video frames with 8-bit, clipped Gaussian
 * noise added: within 10% of the added sigma from 5 to 75, where the plain diagonal-band MAD is far
 * off at high sigma.
 */
class NoiseEstimateTest {
  static final double[] SIGMAS = {5, 15, 25, 50, 75};
  static final List<String> PHOTOS =
      List.of("camera.png", "astronaut.png", "coffee.png", "chelsea.png", "motorcycle_left.png");

  /** uint8 quantised, clipped Gaussian noise of sigma {@code s} (0-255 scale) on a [0,1] plane. */
  static float[] noisy(float[] clean, double s, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] out = new float[clean.length];
    for (int i = 0; i < clean.length; i++) {
      double v = Math.rint(clean[i] * 255.0 + s * gauss(rng));
      out[i] = (float) (Math.min(255, Math.max(0, v)) / 255.0);
    }
    return out;
  }

  static double gauss(SplittableRandom rng) {
    double u = rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  record Plane(String name, float[] px, int w, int h) {}

  static List<Plane> planes() throws Exception {
    Path dir = NaturalImages.defaultDir();
    List<Plane> out = new ArrayList<>();
    for (String p : PHOTOS) {
      NaturalImages.Photo ph = NaturalImages.read(dir.resolve("skimage").resolve(p), 1);
      out.add(new Plane(p, toFloat(ph.planes()), ph.width(), ph.height()));
    }
    Path video = dir.resolve("opencv/vtest.avi");
    if (Files.isRegularFile(video)) {
      List<byte[]> f = VideoFrames.read(video, 768, 576, 1);
      out.add(new Plane("vtest.avi#0", toFloat(f.get(0)), 768, 576));
    }
    return out;
  }

  static float[] toFloat(byte[] b) {
    float[] f = new float[b.length];
    for (int i = 0; i < b.length; i++) {
      f[i] = (b[i] & 0xff) / 255f;
    }
    return f;
  }

  /** The plain estimate: MAD of the finest diagonal band over the whole plane. */
  static double plainMad(float[] p, int w, int h) {
    List<Double> hh = new ArrayList<>();
    for (int y = 0; y + 1 < h; y += 2) {
      for (int x = 0; x + 1 < w; x += 2) {
        hh.add(
            Math.abs(
                (p[y * w + x] - p[y * w + x + 1] - p[(y + 1) * w + x] + p[(y + 1) * w + x + 1])
                    * 0.5));
      }
    }
    hh.sort(null);
    return 255.0 * hh.get(hh.size() / 2) / 0.6745;
  }

  @Test
  void withinTenPercentOnPhotosAndVideoFromSigma5To75() throws Exception {
    List<Plane> planes = planes();
    assertTrue(planes.size() >= 5, "photos found under " + NaturalImages.defaultDir());
    double worst = 0;
    StringBuilder table = new StringBuilder("image | sigma | estimate | plain MAD\n");
    long seed = 11;
    for (Plane p : planes) {
      for (double s : SIGMAS) {
        float[] y = noisy(p.px(), s, seed++);
        double est = NoiseEstimate.sigma(y, p.w(), p.h());
        double mad = plainMad(y, p.w(), p.h());
        table.append(String.format("%s | %.0f | %.2f | %.2f%n", p.name(), s, est, mad));
        worst = Math.max(worst, Math.abs(est - s) / s);
      }
    }
    System.out.print(table);
    System.out.printf("worst relative error %.3f%n", worst);
    assertTrue(worst <= 0.10, "worst relative error " + worst + "\n" + table);
  }

  @Test
  void frameOverloadAveragesChannels() {
    int w = 128;
    int h = 96;
    float[] clean = new float[3 * w * h];
    for (int i = 0; i < clean.length; i++) {
      clean[i] = 0.2f + 0.6f * ((i % w) / (float) w);
    }
    float[] y = noisy(clean, 20, 5);
    double est = NoiseEstimate.sigma(new Frame(y, h, w, null, null, 3));
    assertEquals(20, est, 2.0);
  }

  @Test
  void censoredMomentsInvert() {
    for (double x : new double[] {-5, 3, 60, 128, 250, 262}) {
      for (double s : new double[] {5, 25, 75}) {
        double m = CensoredGaussian.mean(x, s);
        double v = CensoredGaussian.variance(x, s);
        assertEquals(s, CensoredGaussian.invertSigma(m, v, 200), 1e-3 * s, "x=" + x + " s=" + s);
      }
    }
    assertEquals(128, CensoredGaussian.mean(128, 10), 1e-6);
    assertEquals(100, CensoredGaussian.variance(128, 10), 1e-3);
  }

  @Test
  void tooSmallOrFullyClippedPlanesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> NoiseEstimate.sigma(new float[8 * 8], 8, 8));
    assertThrows(
        IllegalArgumentException.class, () -> NoiseEstimate.sigma(new float[32 * 32], 32, 32));
  }
}
