package dev.denoiser.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.denoiser.data.NaturalImages;
import dev.denoiser.frame.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped natural-image models through the serving path (ModelLoader, FrameShaper, ONNX
 * Runtime) on held-out photos of the test set, at sizes that are not multiples of 4, whole and in
 * tiles, gray and colour.
 */
class NaturalFramesTest {
  static final Path CAMERA = NaturalImages.defaultDir().resolve("skimage/camera.png");
  static final Path COFFEE = NaturalImages.defaultDir().resolve("skimage/coffee.png");
  static ModelLoader loader;

  @BeforeAll
  static void setUp() {
    assertTrue(
        Files.isRegularFile(CAMERA), "missing " + CAMERA + ": run " + NaturalImages.FETCH_HINT);
    loader = new ModelLoader(Device.cpu(), 2);
  }

  @AfterAll
  static void tearDown() {
    loader = null;
  }

  /** camera.png cropped to 509x391 (neither a multiple of 4), clean and with sigma 25 noise. */
  static Frame[] cameraCrop(int channels, Path photo) {
    NaturalImages.Photo p = NaturalImages.read(photo, channels);
    int h = 391;
    int w = Math.min(509, p.width());
    float[] clean = new float[channels * h * w];
    float[] noisy = new float[clean.length];
    SplittableRandom r = new SplittableRandom(25);
    int plane = p.height() * p.width();
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int v = p.planes()[c * plane + y * p.width() + x] & 0xff;
          int i = c * h * w + y * w + x;
          clean[i] = v / 255f;
          noisy[i] =
              (float) Math.max(0, Math.min(255, Math.round(v + 25 * r.nextGaussian()))) / 255f;
        }
      }
    }
    return new Frame[] {
      new Frame(clean, h, w, null, "clean", channels),
      new Frame(noisy, h, w, null, "noisy", channels)
    };
  }

  static double psnr(float[] a, float[] b) {
    double se = 0;
    for (int i = 0; i < a.length; i++) {
      double d = 255.0 * (Math.max(0, Math.min(1, a[i])) - b[i]);
      se += d * d;
    }
    return 10 * Math.log10(255.0 * 255.0 / (se / a.length));
  }

  @Test
  void grayModelsDenoiseAnOddSizedPhotoAndTilesShowNoSeams() throws Exception {
    Frame[] f = cameraCrop(1, CAMERA);
    double noisy = psnr(f[1].pixels(), f[0].pixels());
    for (String name : List.of("natural-gray", "natural-fast")) {
      ModelHandle whole = loader.load(Path.of("models", name));
      ModelHandle tiled =
          loader.load(Path.of("models", name), new FrameShaper.Tiling(128, 32, 1L << 20));
      try {
        float[] a = whole.run(List.of(f[1]))[0][0];
        float[] b = tiled.run(List.of(f[1]))[0][0];
        assertEquals(f[1].pixelCount(), a.length);
        double pa = psnr(a, f[0].pixels());
        double pb = psnr(b, f[0].pixels());
        assertTrue(pa > noisy + 6, name + ": " + pa + " dB from " + noisy + " dB noisy");
        assertEquals(pa, pb, 0.05, name + " tiled against whole");
      } finally {
        whole.release();
        tiled.release();
      }
    }
  }

  @Test
  void colourFramesComeBackInColourFromGrayAndColourModels() throws Exception {
    Frame[] f = cameraCrop(3, COFFEE);
    double noisy = psnr(f[1].pixels(), f[0].pixels());
    for (String name : List.of("natural-color", "natural-gray")) {
      ModelHandle h = loader.load(Path.of("models", name));
      try {
        float[][][] out = h.run(List.of(f[1]));
        assertEquals(f[1].pixelCount(), out[0][0].length, name);
        double p = psnr(out[0][0], f[0].pixels());
        assertTrue(p > noisy + 5, name + ": " + p + " dB from " + noisy + " dB noisy");
      } finally {
        h.release();
      }
    }
  }
}
