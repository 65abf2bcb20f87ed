package dev.denoiser.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Natural photographs for the natural-image models: the training photos of the Debian packages
 * {@code opencv-doc} and {@code python3-skimage} (fetched by {@code src/scripts/fetch-natural.sh}
 * into {@code .cache/natural}), or every PNG/JPEG of a user's folder, cut into square training
 * patches. The ten scikit-image test photos ({@link #TEST_PHOTOS}) are never among the default
 * training photos, nor is {@code motorcycle_right}, the other half of the test set's stereo pair.
 */
public final class NaturalImages {
  /** How to get the default photos. */
  public static final String FETCH_HINT = "sh src/scripts/fetch-natural.sh";

  /** The held-out test photos (in {@code skimage/}); never trained on. */
  public static final List<String> TEST_PHOTOS =
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

  /**
   * The default training photos: camera photographs of scenes, objects, people, textures and
   * microscopy. Left out: calibration chessboards, logos, text, drawings, renderings, blurred
   * demonstrations and the test photos.
   */
  static final List<String> TRAINING_PHOTOS =
      List.of(
          "opencv/aero1.jpg",
          "opencv/aero3.jpg",
          "opencv/aloeL.jpg",
          "opencv/aloeR.jpg",
          "opencv/apple.jpg",
          "opencv/baboon.jpg",
          "opencv/basketball1.png",
          "opencv/basketball2.png",
          "opencv/board.jpg",
          "opencv/box_in_scene.png",
          "opencv/building.jpg",
          "opencv/butterfly.jpg",
          "opencv/ela_original.jpg",
          "opencv/fruits.jpg",
          "opencv/graf1.png",
          "opencv/graf3.png",
          "opencv/HappyFish.jpg",
          "opencv/home.jpg",
          "opencv/left.jpg",
          "opencv/right.jpg",
          "opencv/leuvenA.jpg",
          "opencv/leuvenB.jpg",
          "opencv/messi5.jpg",
          "opencv/orange.jpg",
          "opencv/pca_test1.jpg",
          "opencv/rubberwhale1.png",
          "opencv/rubberwhale2.png",
          "opencv/smarties.png",
          "opencv/squirrel_cls.jpg",
          "opencv/starry_night.jpg",
          "opencv/stuff.jpg",
          "skimage/coins.png",
          "skimage/cell.png",
          "skimage/ihc.png",
          "skimage/hubble_deep_field.jpg",
          "skimage/retina.jpg");

  private final List<Photo> photos;

  /** One decoded photo: {@code channels} planes of h x w bytes (R, G, B or gray). */
  public record Photo(String name, int channels, int height, int width, byte[] planes) {}

  private NaturalImages(List<Photo> photos) {
    this.photos = photos;
  }

  public List<Photo> photos() {
    return photos;
  }

  /** The default training photos under {@code dir} (null: $NATURAL_DIR or .cache/natural). */
  public static NaturalImages training(Path dir, int channels) {
    Path root = dir != null ? dir : defaultDir();
    List<Photo> out = new ArrayList<>();
    for (String name : TRAINING_PHOTOS) {
      Path p = root.resolve(name);
      if (!Files.isRegularFile(p)) {
        throw new DataException("missing " + p + "; run: " + FETCH_HINT);
      }
      out.add(read(p, channels));
    }
    return new NaturalImages(out);
  }

  /** Every PNG, JPEG and BMP in {@code dir} (not recursive), sorted by name. */
  public static NaturalImages folder(Path dir, int channels) {
    List<Photo> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp")) {
          out.add(read(p, channels));
        }
      }
    } catch (IOException e) {
      throw new DataException("cannot list " + dir + ": " + e.getMessage());
    }
    if (out.isEmpty()) {
      throw new DataException("no PNG or JPEG images in " + dir);
    }
    return new NaturalImages(out);
  }

  /** $NATURAL_DIR, or .cache/natural. */
  public static Path defaultDir() {
    String env = System.getenv("NATURAL_DIR");
    return Path.of(env != null && !env.isBlank() ? env : ".cache/natural");
  }

  /** Decodes a photo as gray (BT.601 luma, rounded) or as RGB planes. */
  public static Photo read(Path p, int channels) {
    BufferedImage img;
    try {
      img = ImageIO.read(p.toFile());
    } catch (IOException e) {
      throw new DataException("cannot read " + p + ": " + e.getMessage());
    }
    if (img == null) {
      throw new DataException("not an image: " + p);
    }
    return new Photo(
        p.getFileName().toString(),
        channels,
        img.getHeight(),
        img.getWidth(),
        planes(img, channels));
  }

  /** True for a gray file (one or two bands, gray and alpha, not a palette). */
  public static boolean isGray(BufferedImage img) {
    return !(img.getColorModel() instanceof java.awt.image.IndexColorModel)
        && img.getRaster().getNumBands() <= 2;
  }

  /**
   * The image as {@code channels} planes of bytes: a gray file's stored values (scaled to 8 bits,
   * in every plane), or BT.601 luma (rounded) / R, G, B of a colour file.
   */
  public static byte[] planes(BufferedImage img, int channels) {
    int h = img.getHeight();
    int w = img.getWidth();
    int n = h * w;
    byte[] out = new byte[channels * n];
    java.awt.image.Raster raster = img.getRaster();
    if (isGray(img)) {
      // A gray file: its stored values, not getRGB's colour-space conversion (which brightens
      // them); a colour model gets them in all three planes.
      int bits = img.getColorModel().getComponentSize(0);
      float scale = bits == 8 ? 1f : 255f / ((1 << bits) - 1);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          byte v = (byte) Math.round(raster.getSample(x, y, 0) * scale);
          for (int c = 0; c < channels; c++) {
            out[c * n + y * w + x] = v;
          }
        }
      }
      return out;
    }
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int r = (row[x] >> 16) & 0xff;
        int g = (row[x] >> 8) & 0xff;
        int b = row[x] & 0xff;
        int i = y * w + x;
        if (channels == 1) {
          out[i] = (byte) Math.round(0.299f * r + 0.587f * g + 0.114f * b);
        } else {
          out[i] = (byte) r;
          out[n + i] = (byte) g;
          out[2 * n + i] = (byte) b;
        }
      }
    }
    return out;
  }

  /**
   * {@code count} square patches of {@code size} pixels, each from a photo drawn in proportion to
   * its area, at a random position, in one of the eight flips and rotations, and in one case out of
   * four from the photo halved by 2x2 averaging (which also lowers its own noise and JPEG
   * artifacts). The same seed gives the same patches.
   */
  public ImageSet patches(int size, int count, long seed) {
    List<Photo> pool = new ArrayList<>(photos);
    for (Photo p : photos) {
      if (p.height() >= 4 * size && p.width() >= 4 * size) {
        pool.add(halve(p));
      }
    }
    pool.removeIf(p -> p.height() < size || p.width() < size);
    if (pool.isEmpty()) {
      throw new DataException("no image is at least " + size + "x" + size);
    }
    int c = pool.get(0).channels();
    double[] cumulative = new double[pool.size()];
    double total = 0;
    for (int i = 0; i < pool.size(); i++) {
      Photo p = pool.get(i);
      // Halved copies get a quarter of the draws of their original.
      total += (double) p.height() * p.width() * (i >= photos.size() ? 1 : 0.75);
      cumulative[i] = total;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    int per = c * size * size;
    byte[] out = new byte[Math.multiplyExact(count, per)];
    for (int k = 0; k < count; k++) {
      double u = rng.nextDouble() * total;
      int i = 0;
      while (cumulative[i] < u) {
        i++;
      }
      Photo p = pool.get(i);
      int y0 = rng.nextInt(p.height() - size + 1);
      int x0 = rng.nextInt(p.width() - size + 1);
      cut(p, y0, x0, size, rng.nextInt(8), out, k * per);
    }
    return new ImageSet(count, size, size, out, null, c);
  }

  /** Copies a patch transformed by one of the eight symmetries of the square. */
  private static void cut(Photo p, int y0, int x0, int size, int t, byte[] out, int off) {
    int plane = p.height() * p.width();
    int[] idx = new int[size * size];
    dev.denoiser.frame.Symmetry.indices(y0, x0, p.width(), size, t, idx);
    for (int ch = 0; ch < p.channels(); ch++) {
      int base = ch * plane;
      int o = off + ch * size * size;
      for (int i = 0; i < idx.length; i++) {
        out[o + i] = p.planes()[base + idx[i]];
      }
    }
  }

  static Photo halve(Photo p) {
    int h = p.height() / 2;
    int w = p.width() / 2;
    byte[] out = new byte[p.channels() * h * w];
    int plane = p.height() * p.width();
    for (int ch = 0; ch < p.channels(); ch++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = ch * plane + 2 * y * p.width() + 2 * x;
          int sum =
              (p.planes()[i] & 0xff)
                  + (p.planes()[i + 1] & 0xff)
                  + (p.planes()[i + p.width()] & 0xff)
                  + (p.planes()[i + p.width() + 1] & 0xff);
          out[ch * h * w + y * w + x] = (byte) ((sum + 2) / 4);
        }
      }
    }
    return new Photo(p.name() + "@0.5", p.channels(), h, w, out);
  }
}
