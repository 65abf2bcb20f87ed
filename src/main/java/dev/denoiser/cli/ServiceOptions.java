package dev.denoiser.cli;

import dev.denoiser.config.Setting;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of the long-running commands ({@code serve}, {@code trainer}): config file, --set and
 * shortcuts.
 */
public final class ServiceOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "Config file (YAML or JSON).")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Set a config key (repeatable); see the README for keys.")
  Map<String, String> sets = new LinkedHashMap<>();

  @Option(names = "--port", description = "Shortcut for --set http.port=PORT.")
  Integer port;

  @Option(
      names = "--models-dir",
      paramLabel = "DIR",
      description = "Shortcut for --set models.dir=DIR.")
  Path modelsDir;

  /** The --set values with the shortcuts applied. */
  Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>(sets);
    if (port != null) {
      flags.put(Setting.HTTP_PORT.key(), port.toString());
    }
    if (modelsDir != null) {
      flags.put(Setting.MODELS_DIR.key(), modelsDir.toString());
    }
    return flags;
  }
}
