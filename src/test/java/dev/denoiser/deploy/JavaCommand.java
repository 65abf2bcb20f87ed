package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.denoiser.cli.Main;
import dev.denoiser.config.Setting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * A {@code java ... -jar stream-denoiser.jar ARGS} command line from a Dockerfile, compose file or
 * manifest, split into the JVM flags and the application's arguments, which it parses against the
 * jar's real picocli command spec ({@link Main#commandLine()}).
 */
record JavaCommand(List<String> jvmFlags, String jar, List<String> args) {

  /** Splits {@code java [flags] -jar JAR args...}; fails the test for anything else. */
  static JavaCommand of(List<String> argv) {
    if (argv.isEmpty() || !(argv.get(0).equals("java") || argv.get(0).endsWith("/java"))) {
      fail("not a java command line: " + argv);
    }
    List<String> flags = new ArrayList<>();
    for (int i = 1; i < argv.size(); i++) {
      if (argv.get(i).equals("-jar")) {
        assertTrue(i + 1 < argv.size(), "-jar without a jar: " + argv);
        return new JavaCommand(
            flags, argv.get(i + 1), List.copyOf(argv.subList(i + 2, argv.size())));
      }
      flags.add(argv.get(i));
    }
    return fail("no -jar in " + argv);
  }

  /** The same JVM with other application arguments (a CMD, or a container's args). */
  JavaCommand withArgs(List<String> other) {
    return new JavaCommand(jvmFlags, jar, List.copyOf(other));
  }

  /** Parses the arguments as the jar would; fails the test on an unknown command or option. */
  static ParseResult parse(List<String> args) {
    try {
      return Main.commandLine().parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      return fail("the jar would refuse " + args + ": " + e.getMessage());
    }
  }

  ParseResult parse() {
    return parse(args);
  }

  /** The names of the (sub)commands a parse result runs, e.g. [serve] or [loadgen, kafka]. */
  static List<String> commandPath(ParseResult pr) {
    List<String> path = new ArrayList<>();
    for (ParseResult p = pr.subcommand(); p != null; p = p.subcommand()) {
      path.add(p.commandSpec().name());
    }
    return path;
  }

  /** The innermost command's parse result. */
  static ParseResult leaf(ParseResult pr) {
    ParseResult p = pr;
    while (p.hasSubcommand()) {
      p = p.subcommand();
    }
    return p;
  }

  /**
   * Every {@code --set key=value} of a {@code serve} command line, each key checked against {@link
   * Setting}.
   */
  static Map<String, String> sets(ParseResult pr) {
    Map<String, String> sets = leaf(pr).matchedOptionValue("--set", Map.<String, String>of());
    sets.keySet()
        .forEach(k -> assertTrue(Setting.byKey(k) != null, "--set " + k + " is not a config key"));
    return sets;
  }

  /** Runs {@code java FLAGS -version} with this JVM, so that a misspelt or removed flag fails. */
  void assertJvmAcceptsFlags() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.add("-version");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -version did not end");
    assertEquals(0, p.exitValue(), "the JVM refuses " + jvmFlags + ":\n" + out);
  }
}
