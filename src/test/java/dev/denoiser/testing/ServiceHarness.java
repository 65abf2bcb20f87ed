package dev.denoiser.testing;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.metrics.Metered;
import dev.denoiser.service.ServiceVerticle;
import dev.denoiser.source.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Starts the whole service (with Prometheus metrics) in its own Vert.x for a test. */
public final class ServiceHarness implements AutoCloseable {
  public final Vertx vertx;
  public final ServiceVerticle service;
  public final Metered metered;

  private ServiceHarness(Metered metered, ServiceVerticle service) {
    this.metered = metered;
    this.vertx = metered.vertx();
    this.service = service;
  }

  /**
   * Starts the service on a free port, serving {@code modelsDir}, with {@code overrides}. The Kafka
   * role is off unless the overrides set {@code kafka.enabled=true}; model signatures are not
   * required unless they set {@code models.signature.required=true}.
   */
  public static ServiceHarness start(Path modelsDir, JsonObject overrides) throws Exception {
    return await(deploy(modelsDir, overrides));
  }

  /**
   * As {@link #start}, without blocking: for tests on {@code VertxExtension}, which complete their
   * {@code VertxTestContext} when the future does. A failed deployment closes its Vert.x (without
   * waiting for it).
   */
  public static Future<ServiceHarness> deploy(Path modelsDir, JsonObject overrides) {
    JsonObject cfg =
        new JsonObject()
            .put(Setting.HTTP_PORT.key(), 0)
            .put(Setting.HTTP_HOST.key(), "127.0.0.1")
            .put(Setting.MODELS_DIR.key(), modelsDir.toString())
            .put(Setting.INFERENCE_INTRA_OP_THREADS.key(), 1)
            .put(Setting.KAFKA_ENABLED.key(), false)
            // tests write models as they go; ModelIntegrityTest and ModelsTopicSwapTest turn
            // signatures on
            .put(Setting.MODELS_SIGNATURE_REQUIRED.key(), false)
            .mergeIn(overrides == null ? new JsonObject() : overrides);
    Metered metered = Metered.create();
    ServiceVerticle sv = new ServiceVerticle(Settings.of(cfg), metered.serviceMetrics());
    return metered
        .vertx()
        .deployVerticle(sv)
        .<ServiceHarness>map(id -> new ServiceHarness(metered, sv))
        // the failure goes back at once, as before; the Vert.x of the failed deployment closes
        // meanwhile
        .onFailure(e -> metered.vertx().close());
  }

  public ServiceContext svc() {
    return service.context();
  }

  public int port() {
    return service.httpPort();
  }

  public static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Drains the service, then closes its Vert.x. */
  public Future<Void> stop() {
    return service.drain().compose(v -> vertx.close());
  }

  @Override
  public void close() throws Exception {
    await(stop());
  }
}
