package dev.denoiser.kafka;

import dev.denoiser.config.JarContents;
import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.hotswap.ModelInstaller;
import dev.denoiser.hotswap.ModelsTopicFollower;
import dev.denoiser.kafka.client.KafkaMetrics;
import dev.denoiser.kafka.client.KafkaOptions;
import dev.denoiser.kafka.client.TopicSetup;
import dev.denoiser.kafka.embedded.DemoFeedVerticle;
import dev.denoiser.kafka.embedded.EmbeddedKafkaVerticle;
import dev.denoiser.kafka.embedded.VideoDemoFrames;
import dev.denoiser.kafka.ingest.KafkaIngestVerticle;
import dev.denoiser.source.ServiceContext;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the Kafka role of a replica, in this order: the embedded broker (only when {@code
 * kafka.bootstrap.servers} is empty), the topics, the models topic follower (unless {@code
 * kafka.topic.models} is empty), {@code kafka.instances} ingest verticles, the demo feed (by
 * default only with the embedded broker) and the throughput log. The service undeploys its roles
 * newest first, so on shutdown the feed stops, the ingest drains and commits, and only then the
 * broker stops.
 */
public final class KafkaRole {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaRole.class);

  /** Deploys one role and records it for the service's drain. */
  @FunctionalInterface
  public interface Deployer {
    Future<String> deploy(Supplier<Deployable> verticle, DeploymentOptions options);
  }

  private KafkaRole() {}

  /**
   * Deploys the role if {@code kafka.enabled}; fails if the broker, the topics or a consumer cannot
   * start. Returns the options in use (with the embedded broker's address), or null when disabled.
   */
  public static Future<KafkaOptions> deploy(Vertx vertx, ServiceContext svc, Deployer deployer) {
    Settings s = svc.settings();
    if (!s.getBoolean(Setting.KAFKA_ENABLED)) {
      return Future.succeededFuture();
    }
    boolean embedded = s.getString(Setting.KAFKA_BOOTSTRAP_SERVERS).isBlank();
    Future<String> bootstrap;
    if (embedded && !JarContents.hasBroker()) {
      return Future.failedFuture(
          new IllegalStateException(
              "kafka.bootstrap.servers is empty and this jar has no embedded broker: "
                  + "set kafka.bootstrap.servers (or kafka.enabled=false); "
                  + JarContents.needsFullJar("the embedded broker")));
    }
    if (embedded) {
      EmbeddedKafkaVerticle broker =
          new EmbeddedKafkaVerticle(
              Path.of(s.getString(Setting.KAFKA_EMBEDDED_DIR)),
              s.getInt(Setting.KAFKA_EMBEDDED_PORT));
      bootstrap =
          deployer
              .deploy(
                  () -> broker, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
              .map(id -> broker.bootstrapServers());
    } else {
      bootstrap = Future.succeededFuture(s.getString(Setting.KAFKA_BOOTSTRAP_SERVERS).trim());
    }
    KafkaMetrics metrics = new KafkaMetrics(svc.metrics().registry());
    return bootstrap.compose(
        servers -> {
          KafkaOptions o = KafkaOptions.from(s, servers);
          AtomicInteger instance = new AtomicInteger();
          Future<String> chain =
              vertx
                  .executeBlocking(() -> TopicSetup.ensure(o))
                  .compose(created -> followModels(svc, o, deployer))
                  .compose(
                      id ->
                          deployer.deploy(
                              () ->
                                  new KafkaIngestVerticle(
                                      svc, o, metrics, instance.getAndIncrement()),
                              new DeploymentOptions().setInstances(o.instances())));
          if (demoEnabled(s, embedded)) {
            chain =
                chain
                    .compose(
                        id ->
                            vertx.executeBlocking(
                                () ->
                                    VideoDemoFrames.fromSettings(
                                        s, svc.registry().cards().keySet())))
                    .compose(
                        video ->
                            deployer.deploy(
                                () ->
                                    new DemoFeedVerticle(
                                        o,
                                        video == null
                                            ? s.getDouble(Setting.KAFKA_DEMO_RATE)
                                            : s.getDouble(Setting.KAFKA_DEMO_VIDEO_RATE),
                                        s.getDouble(Setting.KAFKA_DEMO_NOISE),
                                        video,
                                        svc.registry()
                                                .cards()
                                                .containsKey(DemoFeedVerticle.DIGIT_MODEL)
                                            ? DemoFeedVerticle.DIGIT_MODEL
                                            : null),
                                new DeploymentOptions()));
          }
          long every = s.getLong(Setting.KAFKA_STATS_INTERVAL_MS);
          if (every > 0) {
            chain =
                chain.compose(
                    id ->
                        deployer.deploy(
                            () -> new ThroughputLogVerticle(metrics, every),
                            new DeploymentOptions()));
          }
          return chain
              .onSuccess(
                  id ->
                      LOG.info(
                          "kafka: {} -> {} + {} (dead letters: {}) on {}{}",
                          o.noisyTopic(),
                          o.denoisedTopic(),
                          o.latentTopic(),
                          o.dlqTopic(),
                          servers,
                          embedded
                              ? "; try: kcat -b "
                                  + servers
                                  + " -C -t "
                                  + o.denoisedTopic()
                                  + " -f '%k %h\\n'"
                              : ""))
              .map(id -> o);
        });
  }

  /**
   * The models topic follower (before the ingest, so frames meet the newest models): its start-up
   * completes once the topic is read to its end, which holds readiness back until then.
   */
  private static Future<String> followModels(
      ServiceContext svc, KafkaOptions o, Deployer deployer) {
    Settings s = svc.settings();
    String topic = s.getString(Setting.KAFKA_TOPIC_MODELS).trim();
    if (topic.isEmpty()) {
      return Future.succeededFuture("");
    }
    ModelInstaller installer =
        new ModelInstaller(Path.of(s.getString(Setting.MODELS_DIR)), svc.registry(), svc.metrics());
    return deployer.deploy(
        () ->
            new ModelsTopicFollower(
                o.adminConfig(),
                topic,
                s.getLong(Setting.KAFKA_MODELS_MAX_BYTES),
                installer,
                svc.metrics()),
        new DeploymentOptions());
  }

  static boolean demoEnabled(Settings s, boolean embedded) {
    String v = s.getString(Setting.KAFKA_DEMO_ENABLED).trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "auto" -> embedded;
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              Setting.KAFKA_DEMO_ENABLED.key() + " must be auto, true or false, got '" + v + "'");
    };
  }
}
