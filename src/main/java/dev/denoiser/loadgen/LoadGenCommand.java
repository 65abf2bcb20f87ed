package dev.denoiser.loadgen;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code loadgen}: drives a running service with synthetic feeds and prints a latency table. Each
 * transport is a subcommand ({@code ws}, {@code kafka}); they share {@link LoadOptions} and {@link
 * LoadStats}, so another transport only has to send frames and report replies.
 */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    description =
        "Load generators that stop by themselves and print a table (see load-tests/README.md).",
    subcommands = {WsLoadCommand.class, KafkaLoadCommand.class, CommandLine.HelpCommand.class})
public final class LoadGenCommand implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
