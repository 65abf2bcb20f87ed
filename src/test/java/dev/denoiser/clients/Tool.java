package dev.denoiser.clients;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool run by a test (python3, kcat), with bounded time. A tool that is not
 * installed fails the test with the package to install, since CI ({@code .ci/run}) installs them.
 */
record Tool(int exit, byte[] stdout, String stderr) {

  String out() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  /**
   * Runs {@code cmd} in {@code dir}; fails the test if it cannot start or does not end within
   * {@code timeout}.
   */
  static Tool run(Path dir, Duration timeout, List<String> cmd) {
    try {
      Path err = Files.createTempFile("tool", ".err");
      Path out = Files.createTempFile("tool", ".out");
      Process p =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectError(err.toFile())
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            cmd + " did not end within " + timeout + "; stderr:\n" + Files.readString(err));
      }
      Tool t = new Tool(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
      Files.deleteIfExists(err);
      Files.deleteIfExists(out);
      return t;
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run " + cmd.get(0) + " (install it: .ci/run does): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Debian's python3 (where the python3-* packages go), else the first python3 on the PATH. */
  static String python() {
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }

  /** Fails the test unless {@code python3} imports {@code modules}. */
  static void requirePythonModules(Path dir, String debianPackages, String... modules) {
    Tool t =
        run(
            dir,
            Duration.ofSeconds(60),
            List.of(python(), "-c", "import " + String.join(", ", modules)));
    assertTrue(
        t.exit() == 0,
        python()
            + " cannot import "
            + String.join(", ", modules)
            + " (Debian: apt-get install "
            + debianPackages
            + "; .ci/run installs them):\n"
            + t.stderr());
  }
}
