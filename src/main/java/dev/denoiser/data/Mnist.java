package dev.denoiser.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates and loads the four MNIST IDX files. The directory comes from, in order: an explicit path
 * (the CLI's {@code --data-dir}), the system property {@code mnist.dir}, the environment variable
 * {@code MNIST_DIR}, else {@code .cache/mnist}. Files may be raw or gzip, with or without a {@code
 * .gz} suffix. Training images: 60,000; test images: 10,000; all 28x28.
 */
public final class Mnist {
  public static final String FETCH_HINT = "sh src/scripts/fetch-mnist.sh";
  public static final String PROPERTY = "mnist.dir";
  public static final String ENV = "MNIST_DIR";
  public static final String DEFAULT_DIR = ".cache/mnist";
  public static final int SIZE = 28;

  private final Path dir;

  public Mnist(Path dir) {
    this.dir = dir;
  }

  /** The data directory from {@code explicit} if not null, else property, env or default. */
  public static Mnist locate(Path explicit) {
    if (explicit != null) {
      return new Mnist(explicit);
    }
    String prop = System.getProperty(PROPERTY);
    if (prop != null && !prop.isBlank()) {
      return new Mnist(Path.of(prop));
    }
    String env = System.getenv(ENV);
    return new Mnist(Path.of(env != null && !env.isBlank() ? env : DEFAULT_DIR));
  }

  public Path dir() {
    return dir;
  }

  /** The 60,000 training digits. */
  public ImageSet train() {
    return load("train-images-idx3-ubyte", "train-labels-idx1-ubyte");
  }

  /** The 10,000 test digits. */
  public ImageSet test() {
    return load("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
  }

  private ImageSet load(String images, String labels) {
    if (!Files.isDirectory(dir)) {
      throw new DataException(
          "MNIST directory " + dir + " does not exist; run: " + FETCH_HINT + " " + dir);
    }
    Idx.Data img = Idx.read(find(images), Idx.IMAGES_MAGIC);
    Idx.Data lab = Idx.read(find(labels), Idx.LABELS_MAGIC);
    ImageSet set = ImageSet.of(img, lab, dir.resolve(images).toString());
    if (set.height() != SIZE || set.width() != SIZE) {
      throw new DataException(
          "corrupt MNIST file "
              + dir.resolve(images)
              + ": images are "
              + set.height()
              + "x"
              + set.width()
              + ", expected 28x28; run: "
              + FETCH_HINT);
    }
    return set;
  }

  private Path find(String base) {
    Path raw = dir.resolve(base);
    Path gz = dir.resolve(base + ".gz");
    return Files.exists(raw) || !Files.exists(gz) ? raw : gz;
  }
}
