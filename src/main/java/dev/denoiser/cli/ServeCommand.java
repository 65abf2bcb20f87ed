package dev.denoiser.cli;

import dev.denoiser.config.Setting;
import dev.denoiser.service.ServiceVerticle;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code serve}: loads the models and serves them until Ctrl-C / SIGTERM, then drains in-flight
 * work and exits. {@code --with-trainer} adds the trainer role (admin API on the same port).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Serve the models over HTTP (and the other configured sources). The default command.")
public final class ServeCommand implements Callable<Integer> {
  @Mixin ServiceOptions options;

  @Option(
      names = "--with-trainer",
      description = "Also run the trainer role (shortcut for --set trainer.enabled=true).")
  boolean withTrainer;

  @Override
  public Integer call() throws Exception {
    Map<String, String> flags = options.flags();
    if (withTrainer) {
      flags.put(Setting.TRAINER_ENABLED.key(), "true");
    }
    return ServiceRunner.run(options.config, flags, ServiceVerticle::new, ServiceVerticle::drain);
  }
}
