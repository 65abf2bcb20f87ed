package dev.denoiser.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bench}: benchmarks that print a table. Each suite is a subcommand; none is a test, and
 * their numbers depend on the machine they run on.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks that print a table (see the README for the numbers measured).",
    subcommands = {
      CoreBenchCommand.class,
      KafkaBenchCommand.class,
      NaturalBenchCommand.class,
      RefreshBenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class BenchCommand implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
