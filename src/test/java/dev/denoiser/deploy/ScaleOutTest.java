package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import dev.denoiser.cli.BrokerCommand;
import dev.denoiser.testing.TestModels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.GroupState;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out on one machine, with real parts only: a standalone broker ({@code broker} command, its
 * own JVM), three replicas ({@code serve}, three more JVMs running a real ONNX model) in one
 * consumer group on a 6-partition input topic. Frames stream in at a steady rate; one replica is
 * killed with SIGKILL partway through, so it neither drains nor commits; a fourth replica starts
 * later. Every frame still gets an output: at least once by default, exactly once (read_committed)
 * with {@code exactly_once} and a transactional.id prefix per replica. Each replica's share, the
 * time until the killed replica's streams were served again, and the late replica's share are
 * printed and written to {@code target/scale-out/<guarantee>.txt}.
 */
@Timeout(360)
@Tag("slow")
class ScaleOutTest {
  static final int PARTITIONS = 6;
  static final double RATE = 150;
  static final String SESSION = "session.timeout.ms=6000;heartbeat.interval.ms=1000";
  @TempDir static Path tmp;
  static JvmProcess broker;
  static String bootstrap;
  static Path models;
  static Path keys;

  @BeforeAll
  static void startBroker() throws Exception {
    // unpack the engine's native libraries once, before several JVMs want them at the same time
    Engine.getEngine("OnnxRuntime");
    models = TestModels.write(tmp.resolve("models"), "conv-upsample", 1, 11).getParent();
    // the replicas share one signing key, as a deployment mounts one secret into every pod; the
    // models directory they share is signed with it once, before any replica starts
    keys = tmp.resolve("keys");
    assertEquals(
        0,
        new picocli.CommandLine(new dev.denoiser.cli.KeygenCommand())
            .execute("--out", keys.toString()));
    assertEquals(
        0,
        new picocli.CommandLine(new dev.denoiser.cli.SignCommand())
            .execute("--key", keys.toString(), models.resolve("conv-upsample").toString()));
    broker =
        JvmProcess.start(
            "broker",
            logs().resolve("broker.log"),
            List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"),
            List.of("broker", "--port", "0", "--data-dir", tmp.resolve("kafka").toString()));
    bootstrap = broker.await(BrokerCommand.READY + "(\\S+)", 120);
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.stop(60);
    }
  }

  static Path logs() {
    return Repo.root().resolve("target").resolve("scale-out");
  }

  @Test
  void atLeastOnceEveryFrameIsAnsweredWhenAReplicaIsKilledAndALateOneTakesOver() throws Exception {
    Run run = new Run("at_least_once");
    List<String> ids = run.execute();
    for (String topic : List.of(run.denoised, run.latent)) {
      Map<String, Integer> n =
          Outputs.counts(Outputs.read(bootstrap, topic, false, l -> false, Duration.ZERO));
      assertEquals(
          new TreeSet<>(ids),
          new TreeSet<>(n.keySet()),
          "every frame has at least one output in " + topic);
    }
  }

  @Test
  void exactlyOnceEveryFrameHasOneCommittedOutputWhenAReplicaIsKilledAndALateOneTakesOver()
      throws Exception {
    Run run = new Run("exactly_once");
    List<String> ids = run.execute();
    Map<String, Integer> once = new HashMap<>();
    ids.forEach(id -> once.put(id, 1));
    for (String topic : List.of(run.denoised, run.latent)) {
      assertEquals(
          once,
          Outputs.counts(Outputs.read(bootstrap, topic, true, l -> false, Duration.ZERO)),
          "every frame has exactly one committed output in " + topic);
    }
  }

  /** One scenario: its own topics, group and replicas. */
  static final class Run {
    final String guarantee;
    final String noisy;
    final String denoised;
    final String latent;
    final String dlq;
    final String group;
    final boolean eos;
    final List<JvmProcess> replicas = new ArrayList<>();

    Run(String guarantee) {
      this.guarantee = guarantee;
      String s = guarantee.replace('_', '-');
      noisy = "noisy." + s;
      denoised = "denoised." + s;
      latent = "latent." + s;
      dlq = "dlq." + s;
      group = "scale." + s;
      eos = guarantee.equals("exactly_once");
    }

    /**
     * Runs the scenario, checks what every guarantee shares, writes the report; returns the frame
     * ids fed.
     */
    List<String> execute() throws Exception {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        admin
            .createTopics(List.of(new NewTopic(noisy, Optional.of(PARTITIONS), Optional.empty())))
            .all()
            .get(60, TimeUnit.SECONDS);
        long start = System.currentTimeMillis();
        List<JvmProcess> first = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
          first.add(start(name));
        }
        for (JvmProcess r : first) {
          r.await("ingest 0 consumes", 180);
        }
        awaitStableGroup(admin, 3);
        JvmProcess victim = first.get(1);
        try (FrameFeed feed =
            new FrameFeed(bootstrap, noisy, FrameFeed.keysCovering(PARTITIONS, 4), RATE)) {
          feed.start();
          int port =
              Integer.parseInt(
                  victim.await("serving \\d+ model\\(s\\) .* on http://[^:]+:(\\d+)", 10));
          try {
            Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> feed.sent() >= RATE * 4 && published(port) > 0);
          } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                "replica b published nothing within 120 s; see " + victim.log, e);
          }
          long killedAt = System.currentTimeMillis();
          victim.kill();
          awaitStableGroup(admin, 2);
          long shrunkAt = System.currentTimeMillis();
          long lateStart = System.currentTimeMillis();
          JvmProcess late = start("d");
          late.await("ingest 0 consumes", 180);
          awaitStableGroup(admin, 3);
          long joinedAt = System.currentTimeMillis();
          feed.stopAfter(Math.round(RATE * 6));
          List<String> ids = feed.awaitDone(120);
          assertEquals(0, feed.failed(), "every frame was written");
          List<Outputs.Out> outs =
              Outputs.read(
                  bootstrap,
                  denoised,
                  eos,
                  l -> Outputs.counts(l).keySet().containsAll(ids),
                  Duration.ofSeconds(120));
          assertTrue(
              Outputs.counts(outs).keySet().containsAll(ids), "every frame has a denoised output");
          ScaleOutReport report =
              new ScaleOutReport(
                  guarantee,
                  PARTITIONS,
                  ids.size(),
                  outs,
                  start,
                  "b",
                  killedAt,
                  shrunkAt,
                  "d",
                  lateStart,
                  joinedAt);
          System.out.print(report.text());
          report.write(logs().resolve(guarantee + ".txt"));
          assertShares(report);
          stopAll();
          assertTrue(
              Outputs.read(bootstrap, dlq, false, l -> false, Duration.ZERO).isEmpty(),
              "no frame was refused");
          return ids;
        }
      } finally {
        for (JvmProcess r : replicas) {
          r.close();
        }
      }
    }

    JvmProcess start(String name) throws Exception {
      List<String> args = new ArrayList<>(List.of("serve", "--models-dir", models.toString()));
      Map<String, String> set = new java.util.LinkedHashMap<>();
      set.put("http.host", "127.0.0.1");
      set.put("http.port", "0");
      set.put("inference.intraOpThreads", "1");
      set.put("models.watchIntervalMillis", "0");
      set.put("models.signature.keyDir", keys.toString());
      set.put("kafka.bootstrap.servers", bootstrap);
      set.put("kafka.topic.noisy", noisy);
      set.put("kafka.topic.denoised", denoised);
      set.put("kafka.topic.latent", latent);
      set.put("kafka.topic.dlq", dlq);
      set.put("kafka.topic.partitions", Integer.toString(PARTITIONS));
      set.put("kafka.group.id", group);
      set.put("kafka.processing.guarantee", guarantee);
      set.put("kafka.transactionalIdPrefix", group + "-" + name);
      set.put("kafka.demo.enabled", "false");
      set.put("kafka.statsIntervalMillis", "0");
      set.put("kafka.shutdownGraceMillis", "5000");
      set.put("http.shutdownGraceMillis", "1000");
      // a killed member is noticed after 6 s (the broker's minimum session), not the default 45 s;
      // the interceptor tags every output with the replica's name
      set.put(
          "kafka.clientProperties", SESSION + ";interceptor.classes=" + ReplicaTag.class.getName());
      set.forEach(
          (k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
          });
      JvmProcess p =
          JvmProcess.start(
              name,
              logs().resolve(guarantee + "-" + name + ".log"),
              List.of(
                  "-Xmx512m", "-XX:TieredStopAtLevel=1", "-D" + ReplicaTag.PROPERTY + "=" + name),
              args);
      replicas.add(p);
      return p;
    }

    /** Waits until the group is stable with {@code members} members holding all partitions. */
    void awaitStableGroup(Admin admin, int members) throws Exception {
      try {
        Awaitility.await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(100))
            // the coordinator may not know the group yet, or answer late on a busy machine
            .ignoreExceptionsMatching(
                e ->
                    e instanceof java.util.concurrent.ExecutionException
                        || e instanceof java.util.concurrent.TimeoutException)
            .until(
                () -> {
                  ConsumerGroupDescription d =
                      admin
                          .describeConsumerGroups(List.of(group))
                          .all()
                          .get(10, TimeUnit.SECONDS)
                          .get(group);
                  int assigned =
                      d.members().stream()
                          .mapToInt(m -> m.assignment().topicPartitions().size())
                          .sum();
                  return d.groupState() == GroupState.STABLE
                      && d.members().size() == members
                      && assigned == PARTITIONS;
                });
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(
            "group " + group + " not stable with " + members + " members within 120 s", e);
      }
    }

    void stopAll() throws Exception {
      List<JvmProcess> live = replicas.stream().filter(JvmProcess::alive).toList();
      List<Thread> stops = new ArrayList<>();
      List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (JvmProcess r : live) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    r.stop(60);
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                });
        t.start();
        stops.add(t);
      }
      for (Thread t : stops) {
        t.join();
      }
      assertTrue(failures.isEmpty(), "graceful stops: " + failures);
    }

    static void assertShares(ScaleOutReport report) {
      Map<String, Long> shares = report.outputsByReplica();
      for (String r : List.of("a", "b", "c", "d")) {
        assertTrue(shares.getOrDefault(r, 0L) > 0, "replica " + r + " served frames: " + shares);
      }
      assertTrue(report.lateShare()[0] > 0, "the late replica took partitions over");
      Map<String, Long> failover = report.failoverMillis();
      assertTrue(!failover.isEmpty(), "the killed replica was serving streams when it died");
      assertTrue(
          failover.values().stream().allMatch(v -> v >= 0),
          "every stream of the killed replica was served again: " + failover);
    }
  }

  /**
   * denoiser_kafka_published_total of the replica on {@code port}, or 0 when the scrape does not
   * answer in time (three replicas and a broker on two cores can be slow to answer; the caller
   * polls again).
   */
  static double published(int port) throws Exception {
    HttpResponse<String> r;
    try {
      r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .timeout(Duration.ofSeconds(15))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
    } catch (java.net.http.HttpTimeoutException e) {
      return 0;
    }
    return r.body()
        .lines()
        .filter(l -> l.startsWith("denoiser_kafka_published_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
