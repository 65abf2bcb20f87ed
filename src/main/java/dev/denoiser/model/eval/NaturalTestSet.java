package dev.denoiser.model.eval;

import dev.denoiser.data.NaturalImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * The natural-image test set of issue 15 and its protocol: the ten scikit-image photographs, gray
 * by BT.601 luma rounded to uint8 (the weights of the service's own PNG decoding), noisy =
 * uint8(clip(round(clean + N(0, sigma)))) with a fixed seed per image, sigma and channel count, and
 * PSNR on [0, 255] with the output clipped (not rounded).
 */
public final class NaturalTestSet {
  /** The ten test photographs, never trained on. */
  public static final List<String> GRAY_NAMES =
      List.of(
          "camera.png",
          "astronaut.png",
          "coffee.png",
          "chelsea.png",
          "rocket.jpg",
          "motorcycle_left.png",
          "moon.png",
          "grass.png",
          "gravel.png",
          "brick.png");

  /** The five colour photographs among them. */
  public static final List<String> COLOR_NAMES =
      List.of("astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "motorcycle_left.png");

  /** BT.601 luma weights, as in the service's frame decoding. */
  public static final double WR = 0.299;

  public static final double WG = 0.587;
  public static final double WB = 0.114;

  private NaturalTestSet() {}

  /** One test photograph: its gray version, and its RGB version when it is a colour photo. */
  public record Photo(String name, Image gray, Image rgb) {}

  /** Loads the ten photographs from {@code dir} (the scikit-image data folder). */
  public static List<Photo> load(Path dir) {
    List<Photo> out = new ArrayList<>();
    for (String name : GRAY_NAMES) {
      Path p = dir.resolve(name);
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException(
            "missing test photo " + p + " (run sh src/scripts/fetch-natural.sh)");
      }
      Image rgb = read(p);
      Image gray = rgb.channels() == 1 ? rgb : gray(rgb);
      out.add(
          new Photo(name, gray, COLOR_NAMES.contains(name) && rgb.channels() == 3 ? rgb : null));
    }
    return out;
  }

  /** Reads a PNG or JPEG as 1 channel (gray files) or 3 channels (colour); alpha is dropped. */
  public static Image read(Path file) {
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (img == null) {
      throw new IllegalArgumentException("not an image ImageIO can read: " + file);
    }
    return fromBuffered(img);
  }

  /**
   * Converts a decoded image with the training photos' reader ({@link NaturalImages#planes}), so
   * that the test photos and the training photos are read alike: gray files keep their stored
   * values (no colour-space change), colour files give R, G, B planes.
   */
  public static Image fromBuffered(BufferedImage img) {
    int c = NaturalImages.isGray(img) ? 1 : 3;
    byte[] b = NaturalImages.planes(img, c);
    float[] out = new float[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i] & 0xff;
    }
    return new Image(img.getWidth(), img.getHeight(), c, out);
  }

  /** BT.601 luma of an RGB image, rounded to integers 0-255. */
  public static Image gray(Image rgb) {
    if (rgb.channels() != 3) {
      throw new IllegalArgumentException("gray() needs 3 channels, got " + rgb.channels());
    }
    int n = rgb.plane();
    float[] d = rgb.data();
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      g[i] = (float) Math.rint(WR * d[i] + WG * d[n + i] + WB * d[2 * n + i]);
    }
    return new Image(rgb.width(), rgb.height(), 1, g);
  }

  /** The fixed noise seed of one photo at one sigma and channel count. */
  public static long seed(String name, double sigma, int channels) {
    return Objects.hash(name, sigma, channels);
  }

  /**
   * uint8(clip(round(clean + N(0, sigma)))), drawn with {@link Random#nextGaussian()} (whose
   * algorithm the JDK specifies) in storage order, independently for every value and channel.
   */
  public static Image noisy(Image clean, double sigma, long seed) {
    Random rnd = new Random(seed);
    float[] d = clean.data();
    float[] out = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      double v = Math.rint(d[i] + sigma * rnd.nextGaussian());
      out[i] = (float) Math.min(255, Math.max(0, v));
    }
    return new Image(clean.width(), clean.height(), clean.channels(), out);
  }

  /** The noisy version of a photo by the protocol's seed. */
  public static Image noisy(String name, Image clean, double sigma) {
    return noisy(clean, sigma, seed(name, sigma, clean.channels()));
  }

  /**
   * PSNR in dB on [0, 255] over every value of every channel, with {@code output} clipped to [0,
   * 255] (not rounded); infinite when equal.
   */
  public static double psnr(Image clean, Image output) {
    if (clean.data().length != output.data().length || clean.width() != output.width()) {
      throw new IllegalArgumentException("PSNR of images of different sizes");
    }
    float[] a = clean.data();
    float[] b = output.data();
    double se = 0;
    for (int i = 0; i < a.length; i++) {
      double v = Math.min(255.0, Math.max(0.0, b[i]));
      double e = v - a[i];
      se += e * e;
    }
    double mse = se / a.length;
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
  }
}
