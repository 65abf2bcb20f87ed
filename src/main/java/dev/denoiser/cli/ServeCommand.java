package dev.denoiser.cli;

import dev.denoiser.config.ConfigLoader;
import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.metrics.Metered;
import dev.denoiser.service.ServiceVerticle;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve}: loads the models and serves them until Ctrl-C / SIGTERM, then drains in-flight
 * work and exits.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve the models over HTTP (and the other configured sources). The default command.")
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "Config file (YAML or JSON).")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set a config key (repeatable); see the README for keys.")
  Map<String, String> sets = new LinkedHashMap<>();

  @Option(names = "--port", description = "Shortcut for --set http.port=PORT.")
  Integer port;

  @Option(names = "--models-dir", paramLabel = "DIR", description = "Shortcut for --set models.dir=DIR.")
  Path modelsDir;

  @Override
  public Integer call() throws Exception {
    Map<String, String> flags = new LinkedHashMap<>(sets);
    if (port != null) {
      flags.put(Setting.HTTP_PORT.key(), port.toString());
    }
    if (modelsDir != null) {
      flags.put(Setting.MODELS_DIR.key(), modelsDir.toString());
    }
    Metered metered = Metered.create();
    Vertx vertx = metered.vertx();
    Settings settings;
    try {
      settings = ConfigLoader.load(vertx, config, flags).toCompletionStage().toCompletableFuture().get();
    } catch (java.util.concurrent.ExecutionException e) {
      vertx.close();
      throw new Main.UserError(e.getCause().getMessage());
    }
    ServiceVerticle service = new ServiceVerticle(settings, metered.serviceMetrics());
    try {
      vertx.deployVerticle(service).toCompletionStage().toCompletableFuture().get();
    } catch (java.util.concurrent.ExecutionException e) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new Main.UserError("start-up failed: " + e.getCause().getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("shutting down: draining in-flight work");
      try {
        service.drain().compose(v -> vertx.close()).toCompletionStage().toCompletableFuture()
            .get(settings.getLong(Setting.HTTP_SHUTDOWN_GRACE_MS) + 30_000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        System.err.println("shutdown did not finish cleanly: " + e);
      }
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }
}
