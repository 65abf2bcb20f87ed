package dev.denoiser.cli;

import dev.denoiser.config.ConfigLoader;
import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.error.UserError;
import dev.denoiser.metrics.Metered;
import dev.denoiser.metrics.ServiceMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs a main verticle until Ctrl-C / SIGTERM: loads the settings (defaults, config file,
 * environment, system properties, {@code --set}), deploys the verticle on a metered Vert.x, and on
 * shutdown drains it and closes Vert.x. A failed start-up is a one-line {@link UserError}.
 */
final class ServiceRunner {
  private ServiceRunner() {}

  static <V extends VerticleBase> int run(Path config, Map<String, String> flags,
      BiFunction<Settings, ServiceMetrics, V> make, Function<V, Future<Void>> drain) throws Exception {
    Metered metered = Metered.create();
    Vertx vertx = metered.vertx();
    Settings settings;
    try {
      settings = ConfigLoader.load(vertx, config, flags).toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      vertx.close();
      throw new UserError(e.getCause().getMessage());
    }
    V main = make.apply(settings, metered.serviceMetrics());
    try {
      vertx.deployVerticle(main).toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new UserError("start-up failed: " + e.getCause().getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("shutting down: draining in-flight work");
      try {
        drain.apply(main).compose(v -> vertx.close()).toCompletionStage().toCompletableFuture()
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
