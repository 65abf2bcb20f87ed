package dev.denoiser.loadgen;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.data.NoisyDigits;
import dev.denoiser.error.UserError;
import dev.denoiser.kafka.client.KafkaOptions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code loadgen kafka}: N streams (record keys) of noisy digits (gray8, 28x28 or scaled to {@code
 * --size}) written to the service's input topic at a target rate each; the denoised and dead-letter
 * topics are read back and matched by frame id, and each frame's latency is measured from when it
 * was due to when its denoised record arrived (loopback broker by default). Samples the service
 * group's lag on the input topic. Prints the table of {@link LoadReport}, appends it to the CSV,
 * and exits 0 when the verdict is ok, 3 when it is not.
 */
@Command(
    name = "kafka",
    mixinStandardHelpOptions = true,
    description =
        "Kafka load: N streams into the input topic at a target frames/s each; end-to-end latency from "
            + "the denoised topic, matched by frame id.")
public final class KafkaLoadCommand implements Callable<Integer> {
  static final double P99_SLO_MS = 250;

  @Mixin LoadOptions load;

  @Option(
      names = "--bootstrap",
      defaultValue = "127.0.0.1:9092",
      description = "Kafka bootstrap servers (default ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(
      names = "--input-topic",
      description =
          "Topic to write frames to (default: kafka.topic.noisy's default, frames.noisy).")
  String inputTopic;

  @Option(
      names = "--output-topic",
      description = "Topic of denoised frames (default: frames.denoised).")
  String outputTopic;

  @Option(names = "--dlq-topic", description = "Dead-letter topic (default: frames.dlq).")
  String dlqTopic;

  @Option(
      names = "--group",
      description = "The service's consumer group, for the lag (default: stream-denoiser).")
  String group;

  @Option(
      names = "--model",
      description = "Model header on every frame (default: none, the service's default model).")
  String model;

  @Option(
      names = "--size",
      defaultValue = "28",
      description = "Frame height and width; digits are scaled up (default ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--read-committed",
      description = "Read the outputs with isolation.level=read_committed (exactly_once services).")
  boolean readCommitted;

  @Option(
      names = "--key-prefix",
      defaultValue = "load",
      description =
          "Record keys are <prefix>-0 .. <prefix>-(streams-1) (default ${DEFAULT-VALUE}).")
  String keyPrefix;

  @Option(
      names = "--client-properties",
      defaultValue = "",
      paramLabel = "K=V;K=V",
      description =
          "Extra Kafka client properties, as kafka.clientProperties (e.g. security.protocol=SASL_SSL).")
  String clientProperties;

  @Option(
      names = "--drain",
      defaultValue = "10000",
      description =
          "Milliseconds to wait for outstanding outputs at the end (default ${DEFAULT-VALUE}).")
  long drainMillis;

  @Override
  public Integer call() throws Exception {
    if (load.clients < 1 || load.rate <= 0 || size < 1 || size > 4096) {
      throw new UserError("--streams must be at least 1, --rate above 0 and --size 1 to 4096");
    }
    Settings defaults = Settings.defaultsOnly();
    String in = or(inputTopic, defaults.getString(Setting.KAFKA_TOPIC_NOISY));
    String out = or(outputTopic, defaults.getString(Setting.KAFKA_TOPIC_DENOISED));
    String dlq = or(dlqTopic, defaults.getString(Setting.KAFKA_TOPIC_DLQ));
    Map<String, Object> common =
        KafkaOptions.from(
                defaults
                    .with(Setting.KAFKA_BOOTSTRAP_SERVERS, bootstrap)
                    .with(Setting.KAFKA_CLIENT_PROPERTIES, clientProperties),
                bootstrap)
            .adminConfig();
    requireTopics(common, List.of(in, out, dlq));

    NoisyDigits.Pool frames = new NoisyDigits(42, load.noise, size > 0 ? size : 28).pool(256);
    long period = Math.max(1, Math.round(1e9 / (load.clients * load.rate)));
    long first = System.nanoTime() + 500_000_000L;
    long from = first + load.warmup.toNanos();
    long end = from + load.duration.toNanos();
    KafkaLoadPlan plan =
        new KafkaLoadPlan(
            UUID.randomUUID().toString().substring(0, 8),
            keyPrefix,
            load.clients,
            in,
            model,
            first,
            period,
            end,
            load.maxFrames > 0 ? load.maxFrames * load.clients : Long.MAX_VALUE);
    LoadStats stats = new LoadStats();
    stats.window(from, end);
    try (KafkaReplies replies = new KafkaReplies(common, plan, out, dlq, readCommitted, stats);
        LagProbe lag =
            new LagProbe(common, or(group, defaults.getString(Setting.KAFKA_GROUP_ID)), in, stats);
        KafkaFeed feed = new KafkaFeed(common, plan, frames, stats)) {
      replies.start();
      lag.start();
      feed.start();
      Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
      feed.awaitDone(30_000);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
      while (replies.resolved() + feed.failed() < feed.sent() && System.nanoTime() - deadline < 0) {
        Thread.sleep(20);
      }
      stats.unanswered(Math.max(0, feed.sent() - feed.failed() - replies.resolved()));
    }
    String mode = size + "x" + size + (readCommitted ? " rc" : "");
    LoadReport report =
        stats.report("kafka", mode, load.clients, load.rate, load.p99SloMs(P99_SLO_MS));
    System.out.print(report.table());
    report.appendCsv(load.csv);
    return report.ok() ? 0 : 3;
  }

  private static String or(String v, String fallback) {
    return v == null || v.isBlank() ? fallback : v;
  }

  private void requireTopics(Map<String, Object> common, List<String> topics) {
    try (Admin admin = Admin.create(common)) {
      admin.describeTopics(topics).allTopicNames().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new UserError(
          "topics "
              + topics
              + " on "
              + bootstrap
              + ": "
              + e.getCause().getMessage()
              + " (the service creates its topics when it starts; start it first)");
    } catch (TimeoutException e) {
      throw new UserError("no answer from Kafka at " + bootstrap + " within 15 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    }
  }
}
