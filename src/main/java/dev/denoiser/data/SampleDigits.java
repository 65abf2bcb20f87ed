package dev.denoiser.data;

import java.io.IOException;
import java.io.InputStream;

/**
 * The first 500 MNIST test digits and their labels, shipped on the classpath as gzip IDX files
 * under {@code /mnist/}, so demos and the web page need no dataset download. Pixels are float32 in
 * [0,1], 28x28, row-major.
 */
public final class SampleDigits {
  public static final String IMAGES = "/mnist/sample-images-idx3-ubyte.gz";
  public static final String LABELS = "/mnist/sample-labels-idx1-ubyte.gz";
  public static final int COUNT = 500;

  private static volatile ImageSet cached;

  private SampleDigits() {}

  /** The sample, loaded once. */
  public static ImageSet load() {
    ImageSet s = cached;
    if (s == null) {
      synchronized (SampleDigits.class) {
        if (cached == null) {
          Idx.Data img = resource(IMAGES, Idx.IMAGES_MAGIC);
          Idx.Data lab = resource(LABELS, Idx.LABELS_MAGIC);
          cached = ImageSet.of(img, lab, IMAGES);
        }
        s = cached;
      }
    }
    return s;
  }

  /** Digit {@code i} (taken modulo the sample size) as float32 in [0,1]. */
  public static float[] digit(int i) {
    ImageSet s = load();
    return s.image(Math.floorMod(i, s.count()));
  }

  private static Idx.Data resource(String name, int magic) {
    try (InputStream in = SampleDigits.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new DataException("classpath resource " + name + " is missing from the build");
      }
      return Idx.read(in, magic, name);
    } catch (IOException e) {
      throw new DataException("cannot read classpath resource " + name + ": " + e.getMessage(), e);
    }
  }
}
