package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders a kustomization with the real kustomize: {@code kubectl kustomize DIR} (Debian's {@code
 * kubectl} carries kustomize v5; {@code .ci/run} installs it). A missing path, a patch that hits
 * nothing or an image entry of no container is kustomize's own error, and fails the test with its
 * message. Without kubectl the test fails, it is not skipped.
 */
final class Kustomize {
  /** One rendered object and the file (or the kustomization directory) it came from. */
  record Doc(Path source, Map<String, Object> body) {
    String kind() {
      return String.valueOf(body.get("kind"));
    }

    String name() {
      return String.valueOf(meta().get("name"));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> meta() {
      return (Map<String, Object>) body.getOrDefault("metadata", Map.of());
    }

    String id() {
      return kind() + "/" + name();
    }
  }

  private Kustomize() {}

  /** Renders the kustomization in {@code dir} with {@code kubectl kustomize}. */
  static List<Doc> build(Path dir) {
    return parse(dir, kubectl("kustomize", dir.toString()));
  }

  /**
   * Runs {@code kubectl ARGS} and returns its standard output; fails the test on a non-zero exit.
   */
  static String kubectl(String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl"));
    cmd.addAll(List.of(args));
    try {
      Path err = java.nio.file.Files.createTempFile("kubectl", ".err");
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kubectl did not end: " + cmd);
      String stderr = java.nio.file.Files.readString(err);
      java.nio.file.Files.deleteIfExists(err);
      assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + stderr);
      return out;
    } catch (IOException e) {
      throw new AssertionError(
          "kubectl is needed to render the manifests (Debian: apt-get install kubectl; .ci/run installs it): "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @SuppressWarnings("unchecked")
  static List<Doc> parse(Path source, String yaml) {
    List<Doc> out = new ArrayList<>();
    for (Object o : new Yaml().loadAll(yaml)) {
      if (o != null) {
        out.add(new Doc(source, (Map<String, Object>) o));
      }
    }
    return out;
  }

  /** The objects of one manifest file, as written. */
  static List<Doc> load(Path file) {
    return parse(file, Repo.read(file));
  }
}
