package dev.denoiser.cli;

import dev.denoiser.service.TrainerServiceVerticle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code trainer}: the trainer role alone, with its admin API, health and metrics on a small HTTP
 * server and no inference. Uses Kafka only when {@code kafka.bootstrap.servers} is set; otherwise
 * promotions go into {@code models.dir}.
 */
@Command(
    name = "trainer",
    mixinStandardHelpOptions = true,
    description =
        "Run the trainer alone: admin API, schedule and control topic; promotes to the models topic "
            + "(with kafka.bootstrap.servers) or into models.dir.")
public final class TrainerCommand implements Callable<Integer> {
  @Mixin ServiceOptions options;

  @Override
  public Integer call() throws Exception {
    return ServiceRunner.run(
        options.config,
        options.flags(),
        TrainerServiceVerticle::new,
        TrainerServiceVerticle::drain);
  }
}
