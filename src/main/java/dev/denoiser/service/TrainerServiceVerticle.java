package dev.denoiser.service;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.hotswap.ModelsTopicFollower;
import dev.denoiser.kafka.client.KafkaOptions;
import dev.denoiser.metrics.ServiceMetrics;
import dev.denoiser.trainer.TrainerHttpVerticle;
import dev.denoiser.trainer.TrainerRole;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main verticle of the {@code trainer} command: the trainer role on its own, without inference.
 * With {@code kafka.bootstrap.servers} set (and {@code kafka.enabled}) it follows the models topic
 * into {@code models.dir} (so it always fine-tunes the version replicas serve), reads the control
 * and reference topics, and promotes to the models topic; otherwise it promotes into {@code
 * models.dir}. Then its small HTTP server starts. {@link #drain()} undeploys newest first.
 */
public final class TrainerServiceVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerServiceVerticle.class);
  private final Settings settings;
  private final ServiceMetrics metrics;
  private Deployments deployments;
  private TrainerRole role;
  private TrainerHttpVerticle http;

  public TrainerServiceVerticle(Settings settings, ServiceMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
  }

  public TrainerRole role() {
    return role;
  }

  public int httpPort() {
    return http.port();
  }

  @Override
  public Future<?> start() {
    deployments = new Deployments(vertx);
    try {
      role = TrainerRole.create(settings, metrics, null);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    String servers = settings.getString(Setting.KAFKA_BOOTSTRAP_SERVERS).trim();
    KafkaOptions kafka =
        settings.getBoolean(Setting.KAFKA_ENABLED) && !servers.isEmpty()
            ? KafkaOptions.from(settings, servers)
            : null;
    String topic = settings.getString(Setting.KAFKA_TOPIC_MODELS).trim();
    Future<String> chain = Future.succeededFuture("");
    if (kafka != null && !topic.isEmpty()) {
      chain =
          deploy(
              () ->
                  new ModelsTopicFollower(
                      kafka.adminConfig(),
                      topic,
                      settings.getLong(Setting.KAFKA_MODELS_MAX_BYTES),
                      role.installer(),
                      metrics),
              new DeploymentOptions());
    }
    return chain
        .compose(id -> role.deploy(vertx, kafka, this::deploy))
        .compose(
            id -> {
              http =
                  new TrainerHttpVerticle(
                      settings, metrics.registry(), role.adminApi(), role::started);
              return deploy(() -> http, new DeploymentOptions());
            })
        .onSuccess(
            id ->
                LOG.info(
                    "trainer listening on http://{}:{} ({})",
                    settings.getString(Setting.HTTP_HOST),
                    http.port(),
                    kafka == null
                        ? "no Kafka: promotions go to " + settings.getString(Setting.MODELS_DIR)
                        : "Kafka " + kafka.bootstrapServers()));
  }

  private Future<String> deploy(Supplier<Deployable> v, DeploymentOptions o) {
    return deployments.deploy(v, o);
  }

  /** Undeploys newest first: HTTP, then the trainer (cancelling its run), then the follower. */
  public Future<Void> drain() {
    return deployments == null ? Future.succeededFuture() : deployments.drain();
  }

  @Override
  public Future<?> stop() {
    return drain();
  }
}
