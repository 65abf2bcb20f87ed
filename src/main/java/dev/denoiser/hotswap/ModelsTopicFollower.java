package dev.denoiser.hotswap;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.metrics.ServiceMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the models topic on every replica: assigns all its partitions (no consumer group, no
 * stored offsets), reads from the beginning, and hands every envelope newer than what this process
 * has to the {@link ModelInstaller} (which checks and hot-swaps it). Start-up completes once the
 * topic is read up to the end offsets it had when the follower started, so a replica is not ready
 * before it has the latest promoted models. A bad record (not an envelope, bad checksum, bad model)
 * is logged with topic, partition and offset, counted in {@code
 * denoiser_model_load_failures_total}, and skipped. Envelopes carry the model's signature, which
 * the registry's loader checks against the trusted keys. Polls and installs on its own thread. If
 * that thread dies (an exception or an {@link Error} out of the consumer or an install), it is
 * counted in {@code denoiser_models_follower_restarts_total}, readiness turns false (problem {@code
 * models-topic-follower}) and a new thread reads the topic again from the beginning after a backoff
 * (1 s doubling to 30 s); readiness comes back once it has caught up.
 */
public final class ModelsTopicFollower extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ModelsTopicFollower.class);
  private static final long CATCH_UP_TIMEOUT_MS = 120_000;
  static final String HEALTH_PART = "models-topic-follower";
  private final Map<String, Object> common;
  private final String topic;
  private final long maxBytes;
  private final ModelInstaller installer;
  private final ServiceMetrics metrics;
  private volatile Poller poller;
  private int restarts;
  private volatile boolean stopped;
  private Promise<Void> caughtUp;

  /** {@code common}: bootstrap servers and client properties shared by every client. */
  public ModelsTopicFollower(
      Map<String, Object> common,
      String topic,
      long maxBytes,
      ModelInstaller installer,
      ServiceMetrics metrics) {
    this.common = common;
    this.topic = topic;
    this.maxBytes = maxBytes;
    this.installer = installer;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    caughtUp = Promise.promise();
    Context ctx = context;
    return vertx
        .executeBlocking(
            () -> {
              ModelsTopic.ensureModels(common, topic, maxBytes);
              return null;
            })
        .compose(
            v -> {
              poller = new Poller(ctx, caughtUp);
              poller.startThread();
              long timer =
                  vertx.setTimer(
                      CATCH_UP_TIMEOUT_MS,
                      id ->
                          caughtUp.tryFail(
                              new IllegalStateException(
                                  "models topic "
                                      + topic
                                      + " not read to its end within "
                                      + CATCH_UP_TIMEOUT_MS / 1000
                                      + " s")));
              return caughtUp.future().onComplete(ar -> vertx.cancelTimer(timer));
            });
  }

  /**
   * Reads the topic from the beginning; completes {@code caughtUp} at the end offsets of the start.
   */
  private final class Poller extends PollingThread {
    private final Context ctx;
    private final Promise<Void> caughtUp;

    Poller(Context ctx, Promise<Void> caughtUp) {
      super(
          "denoiser-models-topic",
          ModelsTopic.consumerConfig(
              common, null, "models-follower-" + UUID.randomUUID(), maxBytes));
      this.ctx = ctx;
      this.caughtUp = caughtUp;
    }

    @Override
    protected void poll(KafkaConsumer<String, byte[]> c) {
      List<TopicPartition> parts =
          c.partitionsFor(topic, Duration.ofSeconds(60)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> ends = c.endOffsets(parts, Duration.ofSeconds(60));
      LOG.info(
          "following models topic {} from the beginning ({} record(s) to catch up)",
          topic,
          ends.values().stream().mapToLong(Long::longValue).sum());
      boolean caught = false;
      while (!stopping()) {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        c.poll(Duration.ofMillis(500)).forEach(batch::add);
        handle(batch);
        if (!caught && parts.stream().allMatch(p -> c.position(p) >= ends.get(p))) {
          caught = true;
          LOG.info("models topic {} caught up", topic);
          metrics.health().clear(HEALTH_PART);
          ctx.runOnContext(v -> caughtUp.tryComplete());
        }
      }
    }

    @Override
    protected void died(Throwable e) {
      super.died(e);
      metrics.registry().counter("denoiser_models_follower_restarts").increment();
      metrics
          .health()
          .problem(HEALTH_PART, "the models topic follower stopped (" + e + "); restarting");
      ctx.runOnContext(v -> restart(ctx));
    }
  }

  private void restart(Context ctx) {
    if (stopped) {
      return;
    }
    long backoff = Math.min(30_000, 1_000L << Math.min(restarts++, 5));
    LOG.warn("models topic follower restarts in {} ms (restart {})", backoff, restarts);
    vertx.setTimer(
        backoff,
        id -> {
          if (!stopped) {
            poller = new Poller(ctx, caughtUp);
            poller.startThread();
          }
        });
  }

  /** Newest record first per model within a batch: the first one installed or already had wins. */
  void handle(List<ConsumerRecord<String, byte[]>> batch) {
    Map<String, List<ConsumerRecord<String, byte[]>>> byKey = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> r : batch) {
      byKey.computeIfAbsent(String.valueOf(r.key()), k -> new ArrayList<>()).add(r);
    }
    for (List<ConsumerRecord<String, byte[]>> records : byKey.values()) {
      for (int i = records.size() - 1; i >= 0; i--) {
        if (take(records.get(i))) {
          break;
        }
      }
    }
  }

  /** True when this process has the record's version now (installed, or had it already). */
  private boolean take(ConsumerRecord<String, byte[]> r) {
    String where = r.topic() + "-" + r.partition() + "@" + r.offset();
    if (r.value() == null) {
      LOG.info(
          "models topic: tombstone for {} at {} ignored; the serving version stays",
          r.key(),
          where);
      return true;
    }
    String name = ModelNames.valid(r.key()) ? r.key() : "invalid-key";
    try {
      ModelEnvelope env = ModelEnvelope.decode(r.value());
      if (!env.card().name().equals(r.key())) {
        throw new DenoiserException(
            dev.denoiser.error.ErrorCode.MODEL_REJECTED,
            "model envelope rejected: key '"
                + ModelNames.abbreviate(r.key())
                + "' but the card names '"
                + ModelNames.abbreviate(env.card().name())
                + "'");
      }
      long have = installer.currentVersion(env.card().name());
      if (env.card().version() <= have) {
        LOG.debug(
            "models topic: {} version {} at {} is not newer than {}; skipped",
            name,
            env.card().version(),
            where,
            have);
        return true;
      }
      installer.install(env.card(), env.onnx(), env.signature());
      LOG.info(
          "models topic: {} version {} from {} installed (sha256 {})",
          name,
          env.card().version(),
          where,
          env.card().sha256());
      return true;
    } catch (DenoiserException e) {
      if (e.getMessage().startsWith("model envelope rejected")) {
        metrics.modelLoadFailure(name, "envelope");
      }
      LOG.warn(
          "models topic: record at {} (key {}) refused: {}",
          where,
          ModelNames.abbreviate(r.key()),
          e.getMessage());
      return false;
    } catch (RuntimeException e) {
      metrics.modelLoadFailure(name, "other");
      LOG.warn(
          "models topic: record at {} (key {}) failed: {}",
          where,
          ModelNames.abbreviate(r.key()),
          e.toString());
      return false;
    }
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    metrics.health().clear(HEALTH_PART);
    Poller p = poller;
    return p == null ? Future.succeededFuture() : p.stop(vertx);
  }
}
