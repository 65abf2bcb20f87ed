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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs a main verticle until Ctrl-C / SIGTERM: loads the settings (defaults, config file,
 * environment, system properties, {@code --set}), deploys the verticle on a metered Vert.x, and on
 * SIGTERM / SIGINT / SIGHUP ({@link ShutdownSignals}) drains it and closes Vert.x (and with it the
 * model sessions) before returning 0, so that ONNX Runtime's own shutdown hook, which runs when the
 * caller exits, finds no work running. A drain that does not finish within the grace periods plus
 * 30 s halts the JVM with status 1. A failed start-up is a one-line {@link UserError}.
 */
final class ServiceRunner {
  private ServiceRunner() {}

  static <V extends VerticleBase> int run(
      Path config,
      Map<String, String> flags,
      BiFunction<Settings, ServiceMetrics, V> make,
      Function<V, Future<Void>> drain)
      throws Exception {
    Metered metered = Metered.create();
    Vertx vertx = metered.vertx();
    Settings settings;
    try {
      settings =
          ConfigLoader.load(vertx, config, flags).toCompletionStage().toCompletableFuture().get();
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
    AtomicBoolean clean = new AtomicBoolean();
    long budget =
        settings.getLong(Setting.HTTP_SHUTDOWN_GRACE_MS)
            + Math.max(settings.getLong(Setting.KAFKA_SHUTDOWN_GRACE_MS), 0)
            + 30_000;
    Runnable shutdown =
        () -> {
          try {
            // the main verticle's stop() closes the model sessions once the roles are undeployed
            drain
                .apply(main)
                .compose(v -> vertx.close())
                .toCompletionStage()
                .toCompletableFuture()
                .get(budget, TimeUnit.MILLISECONDS);
            clean.set(true);
            System.err.println("drained and closed");
          } catch (Exception e) {
            System.err.println("shutdown did not finish cleanly: " + e);
          }
          stopped.countDown();
        };
    List<String> unhandled = new ShutdownSignals(shutdown).install();
    if (!unhandled.isEmpty()) {
      // fallback only: a drain in a hook runs beside ONNX Runtime's own hook
      System.err.println(
          "cannot handle SIG" + unhandled + "; draining from a shutdown hook instead");
      Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "shutdown"));
    }
    stopped.await();
    if (!clean.get()) {
      // work may still run in native code: exit without the shutdown hooks (no ONNX Runtime
      // environment closed under a running batch), with a status that says it was not clean
      System.err.flush();
      Runtime.getRuntime().halt(1);
    }
    return 0;
  }
}
