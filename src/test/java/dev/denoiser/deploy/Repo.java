package dev.denoiser.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Files of this repository, for the tests that check the deployment files against the code. */
public final class Repo {
  private Repo() {}

  /** The repository root (Maven's basedir; the tests run there). */
  static Path root() {
    Path p = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    if (!Files.isRegularFile(p.resolve("pom.xml"))) {
      throw new IllegalStateException("no pom.xml in " + p);
    }
    return p;
  }

  public static Path file(String relative) {
    return root().resolve(relative);
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A property of the pom, e.g. {@code kafka.version}. */
  static String pomProperty(String name) {
    Matcher m =
        Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">")
            .matcher(read(file("pom.xml")));
    if (!m.find()) {
      throw new IllegalStateException("pom.xml has no property " + name);
    }
    return m.group(1).trim();
  }
}
