package dev.denoiser.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where candidates live: {@code <models.dir>/<name>/candidates/v<N>/} (model.onnx and card.json
 * with the gate's decision), kept whether promoted or rejected, for inspection. The directory
 * watcher and the start-up scan only look one level down, so nothing here is ever served. The next
 * candidate's version is one past both the serving version and every candidate so far.
 */
final class Candidates {
  static final String DIR = "candidates";

  private Candidates() {}

  static Path dir(Path modelsDir, String name, long version) {
    return modelsDir.resolve(name).resolve(DIR).resolve("v" + version);
  }

  static long nextVersion(Path modelsDir, String name, long servingVersion) throws IOException {
    long max = servingVersion;
    Path root = modelsDir.resolve(name).resolve(DIR);
    if (Files.isDirectory(root)) {
      try (Stream<Path> s = Files.list(root)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          String f = p.getFileName().toString();
          if (f.matches("v\\d{1,18}")) {
            max = Math.max(max, Long.parseLong(f.substring(1)));
          }
        }
      }
    }
    return max + 1;
  }
}
