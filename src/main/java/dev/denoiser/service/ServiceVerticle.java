package dev.denoiser.service;

import ai.djl.Device;
import dev.denoiser.batching.BatchPolicy;
import dev.denoiser.batching.BatcherVerticle;
import dev.denoiser.batching.InferenceClient;
import dev.denoiser.config.JarContents;
import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.hotswap.ModelDirectoryWatcher;
import dev.denoiser.http.HttpVerticle;
import dev.denoiser.http.RouteContributor;
import dev.denoiser.inference.DeviceSelector;
import dev.denoiser.inference.InferenceVerticle;
import dev.denoiser.inference.LocalCodec;
import dev.denoiser.inference.ModelLoader;
import dev.denoiser.inference.ModelRegistry;
import dev.denoiser.kafka.KafkaRole;
import dev.denoiser.metrics.ServiceMetrics;
import dev.denoiser.sample.FeedSample;
import dev.denoiser.source.ServiceContext;
import dev.denoiser.trainer.TrainerRole;
import dev.denoiser.trust.ModelTrust;
import dev.denoiser.websocket.StreamEndpoint;
import dev.denoiser.websocket.VideoSamples;
import dev.denoiser.websocket.WebPage;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main verticle: builds the shared parts (device, model registry, metrics, inference client),
 * then deploys the roles in order (batcher, inference workers, HTTP, then the Kafka role of {@link
 * KafkaRole}, then, with {@code trainer.enabled}, the trainer of {@link TrainerRole}) and hands
 * each its config. {@link #drain()} undeploys them in reverse order, so sources stop taking work
 * first and the batcher and workers finish what was already accepted.
 */
public final class ServiceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceVerticle.class);
  private final Settings settings;
  private final ServiceMetrics metrics;
  private Deployments deployments;
  private ServiceContext svc;
  private volatile HttpVerticle http;
  private final List<HttpVerticle> httpInstances =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private TrainerRole trainer;
  private FeedSample sample;

  public ServiceVerticle(Settings settings, ServiceMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
  }

  /** The shared parts, available once started. */
  public ServiceContext context() {
    return svc;
  }

  /** The trainer role, or null without {@code trainer.enabled}. */
  public TrainerRole trainer() {
    return trainer;
  }

  /** The sample of served frames ({@code feed.sample.*}; samples nothing by default). */
  public FeedSample feedSample() {
    return sample;
  }

  /** The HTTP verticle instances deployed ({@code http.instances}). */
  public List<HttpVerticle> httpInstances() {
    return List.copyOf(httpInstances);
  }

  /** The HTTP port bound. */
  public int httpPort() {
    return http.port();
  }

  @Override
  public Future<?> start() {
    deployments = new Deployments(vertx);
    LocalCodec.registerAll(vertx);
    Device device;
    try {
      device = new DeviceSelector().select(settings.getString(Setting.INFERENCE_DEVICE));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    int instances = Math.max(1, settings.getInt(Setting.INFERENCE_INSTANCES));
    int configured = settings.getInt(Setting.INFERENCE_INTRA_OP_THREADS);
    int threads =
        configured > 0
            ? configured
            : Math.max(1, Runtime.getRuntime().availableProcessors() / instances);
    ModelTrust trust;
    try {
      // reads keys and, at a first start, signs the models of models.dir (a few MB: at start-up
      // only)
      trust = ModelTrust.open(settings);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    ModelRegistry registry =
        new ModelRegistry(
                new ModelLoader(device, threads, trust),
                metrics,
                settings.getString(Setting.MODELS_DEFAULT))
            .limits(
                settings.getLong(Setting.MODELS_MAX_VERSION_STEP),
                settings.getLong(Setting.MODELS_INSTALL_TIMEOUT_MS));
    BatchPolicy policy = BatchPolicy.from(settings);
    svc =
        new ServiceContext(
            settings,
            metrics,
            registry,
            new InferenceClient(vertx, registry, policy.deadlineMillis()),
            new FrameCodec(settings.getLong(Setting.FRAME_MAX_PIXELS)),
            policy,
            new AtomicBoolean());
    Path modelsDir = Path.of(settings.getString(Setting.MODELS_DIR));
    if (settings.getBoolean(Setting.TRAINER_ENABLED) && !JarContents.hasPyTorch()) {
      return Future.failedFuture(
          new IllegalStateException(
              JarContents.needsFullJar(Setting.TRAINER_ENABLED.key() + "=true")));
    }
    try {
      sample = FeedSample.from(settings, metrics.registry());
      // Co-located with serving, the trainer reads the very sample the batcher fills.
      trainer =
          settings.getBoolean(Setting.TRAINER_ENABLED)
              ? TrainerRole.create(settings, metrics, registry, sample)
              : null;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return vertx
        .executeBlocking(() -> registry.loadAll(modelsDir))
        .compose(
            n -> {
              if (n == 0) {
                LOG.warn(
                    "no model loaded from {}; not ready until one arrives",
                    modelsDir.toAbsolutePath());
              }
              return deploy(
                  () -> new BatcherVerticle(registry, metrics, policy, sample),
                  new DeploymentOptions());
            })
        .compose(
            id ->
                deploy(
                    () -> new InferenceVerticle(registry),
                    new DeploymentOptions()
                        .setThreadingModel(ThreadingModel.WORKER)
                        .setInstances(instances)))
        .compose(
            id -> {
              long watch = settings.getLong(Setting.MODELS_WATCH_MS);
              return watch <= 0
                  ? Future.succeededFuture("")
                  : deploy(
                      () -> new ModelDirectoryWatcher(registry, modelsDir, watch),
                      new DeploymentOptions());
            })
        .compose(id -> deployHttp())
        .compose(id -> KafkaRole.deploy(vertx, svc, this::deploy))
        .compose(
            kafka ->
                trainer == null
                    ? Future.succeededFuture("")
                    : trainer.deploy(vertx, kafka, this::deploy))
        .onSuccess(
            id -> {
              svc.started().set(true);
              LOG.info(
                  "serving {} model(s) {} on http://{}:{} (device {}, {} worker(s) x {} thread(s))",
                  registry.cards().size(),
                  registry.cards().keySet(),
                  settings.getString(Setting.HTTP_HOST),
                  http.port(),
                  device,
                  instances,
                  threads);
            });
  }

  /**
   * {@code http.instances} HTTP verticles on one port. With {@code http.port=0} they listen on -1,
   * Vert.x's shared random port: one port picked for all of them.
   */
  private Future<String> deployHttp() {
    List<RouteContributor> contributors = routeContributors();
    int n = HttpVerticle.instances(svc);
    int port = settings.getInt(Setting.HTTP_PORT) == 0 && n > 1 ? -1 : -2;
    return deploy(
        () -> {
          HttpVerticle v =
              port == -1
                  ? new HttpVerticle(svc, contributors, -1)
                  : new HttpVerticle(svc, contributors);
          synchronized (httpInstances) {
            if (http == null) {
              http = v;
            }
          }
          httpInstances.add(v);
          return v;
        },
        new DeploymentOptions().setInstances(n));
  }

  private List<RouteContributor> routeContributors() {
    List<RouteContributor> contributors = new ArrayList<>();
    // WebSocket /v1/stream and the demo page; on HTTP shutdown open sockets answer what they
    // accepted and close with 1001, before the batcher and workers drain.
    contributors.add(new StreamEndpoint(svc));
    contributors.add(new WebPage());
    contributors.add(new VideoSamples(svc.settings()));
    if (trainer != null) {
      contributors.add(trainer.adminApi());
    }
    return contributors;
  }

  private Future<String> deploy(
      java.util.function.Supplier<io.vertx.core.Deployable> v, DeploymentOptions o) {
    return deployments.deploy(v, o);
  }

  /** Undeploys the roles newest first, each draining its in-flight work, then closes the models. */
  public Future<Void> drain() {
    metrics.health().startDraining();
    if (svc != null) {
      svc.started().set(false);
    }
    return deployments == null ? Future.succeededFuture() : deployments.drain();
  }

  @Override
  public Future<?> stop() {
    return drain()
        .onComplete(
            v -> {
              if (svc != null) {
                svc.registry().close();
              }
              if (sample != null) {
                sample.close();
              }
            });
  }
}
