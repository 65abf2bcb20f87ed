package dev.denoiser.cli;

import dev.denoiser.config.Setting;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code config}: prints every configuration key with its environment variable and default, as
 * Markdown.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Print every configuration key, its environment variable and default (a Markdown table).")
public final class ConfigCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.println(table());
    return 0;
  }

  public static String table() {
    StringBuilder sb =
        new StringBuilder(
            "| Key | Environment variable | Default | Meaning |\n| --- | --- | --- | --- |\n");
    for (Setting s : Setting.values()) {
      String d = String.valueOf(s.defaultValue());
      sb.append("| `")
          .append(s.key())
          .append("` | `")
          .append(s.envName())
          .append("` | ")
          .append(d.isEmpty() ? "(empty)" : "`" + d + "`")
          .append(" | ")
          .append(s.description())
          .append(" |\n");
    }
    return sb.toString().strip();
  }
}
