package dev.denoiser.trainer;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.data.Mnist;
import dev.denoiser.error.UserError;
import dev.denoiser.frame.FrameCodec;
import dev.denoiser.hotswap.ModelInstaller;
import dev.denoiser.hotswap.ModelsTopic;
import dev.denoiser.http.RouteContributor;
import dev.denoiser.inference.ModelRegistry;
import dev.denoiser.kafka.KafkaRole;
import dev.denoiser.kafka.client.KafkaOptions;
import dev.denoiser.metrics.ServiceMetrics;
import dev.denoiser.sample.FeedSample;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles the trainer role from the settings, for {@code serve --with-trainer} (with the serving
 * registry, so promotions without Kafka swap in at once) and for the {@code trainer} command (no
 * registry). {@link #create} gives the admin API before the HTTP server starts; {@link #deploy}
 * builds the rest once Kafka's address is known (null: no Kafka, promotions go to {@code
 * models.dir}) and deploys the {@link TrainerVerticle}.
 */
public final class TrainerRole {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerRole.class);
  public static final String REFERENCE_FILE = "reference-frames.bin";
  private final Settings s;
  private final ServiceMetrics metrics;
  private final TrainerMetrics trainerMetrics;
  private final ModelInstaller installer;
  private final Triggers triggers;
  private final AdminApi admin;
  private final FeedSample sample;
  private final boolean ownSample;
  private volatile SelfSupervisedLearner learner;
  private volatile boolean started;

  private TrainerRole(
      Settings s, ServiceMetrics metrics, ModelRegistry registry, FeedSample sample) {
    this.s = s;
    this.ownSample = sample == null;
    this.sample = sample != null ? sample : FeedSample.from(s, metrics.registry());
    this.learner =
        new SelfSupervisedRefreshLearner(
            s.getString(Setting.TRAINER_SELFSUP_OBJECTIVE),
            s.getDouble(Setting.TRAINER_SELFSUP_MIN_GAIN_DB),
            threads(s));
    this.metrics = metrics;
    this.trainerMetrics = new TrainerMetrics(metrics.registry());
    Path modelsDir = Path.of(s.getString(Setting.MODELS_DIR));
    // the trainer alone has no registry: it keeps its own trust (key pair, trusted keys)
    this.installer =
        registry != null
            ? new ModelInstaller(modelsDir, registry, metrics)
            : new ModelInstaller(modelsDir, null, metrics, dev.denoiser.trust.ModelTrust.open(s));
    this.triggers =
        new Triggers(
            new RunBook(s.getInt(Setting.TRAINER_QUEUE_SIZE)),
            modelsDir,
            TrainParams.defaults(s),
            TrainParams.selfSupervisedDefaults(s),
            this.sample::samples,
            RunLimits.from(s));
    this.admin = new AdminApi(triggers, s.getString(Setting.AUTH_TOKEN));
  }

  /**
   * {@code registry} may be null (the trainer alone). Fails on bad trainer settings, and without
   * {@code auth.token} unless {@code trainer.allowOpenAdmin} is set and {@code http.host} is
   * loopback.
   */
  public static TrainerRole create(Settings s, ServiceMetrics metrics, ModelRegistry registry) {
    return create(s, metrics, registry, null);
  }

  /**
   * {@code sample}: the serving replica's feed sample when the trainer runs inside it; null makes
   * the trainer's own (for the {@code trainer} command, filled from {@code feed.sample.topic}).
   */
  public static TrainerRole create(
      Settings s, ServiceMetrics metrics, ModelRegistry registry, FeedSample sample) {
    Schedule.parse(s.getString(Setting.TRAINER_SCHEDULE));
    checkAdminAccess(s);
    TrainParams.defaults(s);
    TrainParams.selfSupervisedDefaults(s);
    return new TrainerRole(s, metrics, registry, sample);
  }

  /** The feed sample self-supervised runs learn from. */
  public FeedSample feedSample() {
    return sample;
  }

  /** Replaces the learning step of self-supervised runs (before {@link #deploy}). */
  void learner(SelfSupervisedLearner l) {
    this.learner = l;
  }

  /**
   * The admin API starts runs that take hours of CPU and replace the served model: it needs a
   * token, or an explicit {@code trainer.allowOpenAdmin} on a loopback address.
   *
   * @throws UserError otherwise
   */
  static void checkAdminAccess(Settings s) {
    if (!s.getString(Setting.AUTH_TOKEN).isEmpty()) {
      return;
    }
    String host = s.getString(Setting.HTTP_HOST).trim();
    if (!s.getBoolean(Setting.TRAINER_ALLOW_OPEN_ADMIN)) {
      throw new UserError(
          "the trainer needs auth.token: its admin API starts training runs and promotes models"
              + " (for a local try without one: trainer.allowOpenAdmin=true with http.host=127.0.0.1)");
    }
    if (!loopback(host)) {
      throw new UserError(
          "trainer.allowOpenAdmin needs http.host on loopback (127.0.0.1, ::1 or localhost), got '"
              + host
              + "'; set auth.token to listen on other addresses");
    }
    LOG.warn(
        "trainer: the admin API is open (no auth.token) on {} only (trainer.allowOpenAdmin)", host);
  }

  static boolean loopback(String host) {
    if (host.equals("localhost") || host.equals("::1") || host.equals("[::1]")) {
      return true;
    }
    return host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  public RouteContributor adminApi() {
    return admin;
  }

  public Triggers triggers() {
    return triggers;
  }

  public ModelInstaller installer() {
    return installer;
  }

  /** True once the trainer verticle is deployed. */
  public boolean started() {
    return started;
  }

  /** PyTorch threads of a run: {@code trainer.threads}, or cores - 1 (at least 1). */
  public static int threads(Settings s) {
    int t = s.getInt(Setting.TRAINER_THREADS);
    return t > 0 ? t : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
  }

  /**
   * Builds the role (blocking parts on a worker) and deploys its verticle with {@code deployer}.
   */
  public Future<String> deploy(Vertx vertx, KafkaOptions kafka, KafkaRole.Deployer deployer) {
    return vertx
        .executeBlocking(() -> build(kafka))
        .compose(v -> deployer.deploy(() -> v, new DeploymentOptions()))
        .onSuccess(id -> started = true);
  }

  private TrainerVerticle build(KafkaOptions kafka) throws Exception {
    LOG.info(
        "trainer: training runs on {}",
        dev.denoiser.model.Torch.useDevice(s.getString(Setting.TRAINER_DEVICE)));
    String mnistDir = s.getString(Setting.TRAINER_MNIST_DIR).trim();
    Mnist mnist = Mnist.locate(mnistDir.isEmpty() ? null : Path.of(mnistDir));
    if (!mnist.dir().toFile().isDirectory()) {
      LOG.warn(
          "trainer: no MNIST in {}; runs will fail until it is there (sh src/scripts/fetch-mnist.sh {})",
          mnist.dir(),
          mnist.dir());
    }
    String refTopic = s.getString(Setting.KAFKA_TOPIC_REFERENCE).trim();
    ReferenceBuffer refs =
        kafka != null && !refTopic.isEmpty()
            ? ReferenceBuffer.open(
                Path.of(s.getString(Setting.TRAINER_DATA_DIR)).resolve(REFERENCE_FILE),
                s.getInt(Setting.TRAINER_REFERENCE_CAPACITY))
            : null;
    if (refs != null) {
      trainerMetrics.bufferGauge(refs::count);
      LOG.info(
          "trainer: {} reference frame(s) in the buffer (capacity {})",
          refs.count(),
          refs.capacity());
    }
    long maxBytes = s.getLong(Setting.KAFKA_MODELS_MAX_BYTES);
    String modelsTopic = s.getString(Setting.KAFKA_TOPIC_MODELS).trim();
    Distributor dist;
    TrainerInputs inputs = null;
    if (kafka != null) {
      String control = s.getString(Setting.KAFKA_TOPIC_CONTROL).trim();
      Map<String, Integer> topics = new LinkedHashMap<>();
      topics.put(control, 1);
      if (refs != null) {
        topics.put(refTopic, kafka.partitions());
      }
      ModelsTopic.ensurePlain(kafka.adminConfig(), topics);
      ReferenceCollector collector =
          refs == null
              ? null
              : new ReferenceCollector(new FrameCodec(s.getLong(Setting.FRAME_MAX_PIXELS)), refs);
      inputs =
          new TrainerInputs(
              ModelsTopic.consumerConfig(
                  kafka.adminConfig(),
                  kafka.groupId() + "-trainer",
                  kafka.groupId() + "-trainer-inputs",
                  1 << 20),
              control,
              refTopic,
              collector,
              triggers,
              trainerMetrics);
    }
    if (kafka != null && !modelsTopic.isEmpty()) {
      ModelsTopic.ensureModels(kafka.adminConfig(), modelsTopic, maxBytes);
      dist =
          new TopicDistributor(
              kafka.adminConfig(),
              modelsTopic,
              maxBytes,
              installer.trust() == null ? null : installer.trust().signer());
    } else {
      dist = new DirectoryDistributor(installer);
    }
    TrainingData data =
        new TrainingData(
            mnist,
            refs,
            s.getInt(Setting.TRAINER_GATE_HOLDOUT_IMAGES),
            s.getInt(Setting.TRAINER_REFERENCE_HOLDOUT_EVERY));
    SelfSupervisedJob selfSup =
        new SelfSupervisedJob(
            installer.modelsDir(),
            sample,
            s.getInt(Setting.FEED_SAMPLE_HOLDOUT_EVERY),
            learner,
            dist,
            installer);
    RefreshJob job =
        new RefreshJob(
            installer.modelsDir(),
            data,
            new ValidationGate(s.getDouble(Setting.TRAINER_GATE_TOLERANCE)),
            dist,
            installer,
            trainerMetrics,
            threads(s),
            selfSup);
    Duration schedule = Schedule.parse(s.getString(Setting.TRAINER_SCHEDULE));
    LOG.info(
        "trainer: {} PyTorch thread(s), promotions go to {}, gate tolerance {} dB",
        threads(s),
        dist instanceof TopicDistributor
            ? "topic " + modelsTopic
            : "models.dir " + installer.modelsDir(),
        s.getDouble(Setting.TRAINER_GATE_TOLERANCE));
    Distributor closeDist = dist;
    return new TrainerVerticle(
        triggers,
        job,
        schedule,
        scheduledModels(),
        inputs,
        () -> {
          closeDist.close();
          closeQuietly(refs);
          if (ownSample) {
            sample.close();
          }
        });
  }

  private List<String> scheduledModels() {
    String m = s.getString(Setting.TRAINER_MODELS).trim();
    return m.isEmpty()
        ? List.of(s.getString(Setting.MODELS_DEFAULT))
        : Arrays.stream(m.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  private static void closeQuietly(ReferenceBuffer b) {
    if (b != null) {
      try {
        b.close();
      } catch (IOException e) {
        LOG.warn("cannot close the reference buffer: {}", e.toString());
      }
    }
  }
}
