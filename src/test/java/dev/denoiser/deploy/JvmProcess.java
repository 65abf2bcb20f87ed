package dev.denoiser.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A JVM of this project's classes started as its own process ({@code java -cp <test class path>
 * dev.denoiser.cli.Main ARGS}), its output in a log file: a broker or a replica of the scale-out
 * test. It is stopped with SIGTERM ({@link #stop}) or SIGKILL ({@link #kill}), by its own handle.
 */
final class JvmProcess implements AutoCloseable {
  final String name;
  final Path log;
  private final Process process;

  private JvmProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  static JvmProcess start(String name, Path log, List<String> jvmFlags, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add("dev.denoiser.cli.Main");
    cmd.addAll(args);
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new JvmProcess(name, log, p);
  }

  /** {@code java FLAGS -jar JAR ARGS}: a packaged jar as its own process. */
  static JvmProcess startJar(
      String name, Path log, List<String> jvmFlags, Path jar, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(args);
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new JvmProcess(name, log, p);
  }

  /** Waits for the end of the process; its exit code. */
  int waitFor(long timeoutSeconds) throws InterruptedException {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " did not end within " + timeoutSeconds + " s; see " + log);
    }
    return process.exitValue();
  }

  /**
   * Waits until the log has a line matching {@code regex}; returns its first group (or the line).
   */
  String await(String regex, long timeoutSeconds) throws Exception {
    Pattern pattern = Pattern.compile(regex);
    AtomicReference<String> found = new AtomicReference<>();
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(timeoutSeconds))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                for (String line : Files.readAllLines(log)) {
                  Matcher m = pattern.matcher(line);
                  if (m.find()) {
                    found.set(m.groupCount() > 0 ? m.group(1) : line);
                    return true;
                  }
                }
                if (!process.isAlive()) {
                  throw new AssertionError(
                      name
                          + " exited with "
                          + process.exitValue()
                          + " before '"
                          + regex
                          + "'; see "
                          + log);
                }
                return false;
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          name + ": no '" + regex + "' within " + timeoutSeconds + " s; see " + log);
    }
    return found.get();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no drain, no commit; waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM, then waits for the graceful shutdown (drain, commit, leave the group); the exit code.
   */
  int stop(long timeoutSeconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError(name + " did not stop within " + timeoutSeconds + " s; see " + log);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
