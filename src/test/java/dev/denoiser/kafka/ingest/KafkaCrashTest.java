package dev.denoiser.kafka.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.data.NoisyDigits;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.kafka.client.KafkaMetrics;
import dev.denoiser.kafka.client.KafkaOptions;
import dev.denoiser.kafka.client.TopicSetup;
import dev.denoiser.testing.ServiceHarness;
import dev.denoiser.testing.TestKafka;
import dev.denoiser.testing.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer stopped mid-stream without a clean shutdown, then another in the same group: nothing
 * is lost (at-least-once), nothing is committed twice (exactly-once), and a zombie that is still
 * running is fenced and stops by itself.
 */
@ExtendWith(VertxExtension.class)
@io.vertx.junit5.Timeout(value = 60, timeUnit = java.util.concurrent.TimeUnit.SECONDS)
@Timeout(180)
@Tag("slow")
class KafkaCrashTest {
  static final int FRAMES = 600;
  @TempDir static Path models;
  static ServiceHarness svc;

  @BeforeAll
  static void start(VertxTestContext ctx) {
    TestModels.write(models, "conv-upsample", 1, 17);
    ServiceHarness.deploy(models, new JsonObject())
        .onComplete(
            ctx.succeeding(
                h -> {
                  svc = h;
                  ctx.completeNow();
                }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    svc.stop().onComplete(ctx.succeedingThenComplete());
  }

  static KafkaOptions options(String test, KafkaOptions.Guarantee g) throws Exception {
    JsonObject names =
        TestKafka.names(test)
            .put(Setting.KAFKA_GUARANTEE.key(), g.name().toLowerCase(java.util.Locale.ROOT));
    KafkaOptions o = KafkaOptions.from(Settings.of(names), TestKafka.bootstrap());
    TopicSetup.ensure(o);
    return o;
  }

  /**
   * Publishes frames {@code from} to {@code to - 1} over 8 keys at a steady pace from another
   * thread, so that what happens meanwhile lands mid-stream.
   */
  static CompletableFuture<List<String>> feed(KafkaOptions o, int from, int to) {
    return CompletableFuture.supplyAsync(
        () -> {
          List<String> ids = new ArrayList<>();
          NoisyDigits digits = new NoisyDigits(from, 0.3, 28);
          List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
          try (KafkaProducer<String, byte[]> p = TestKafka.producer()) {
            for (int i = from; i < to; i++) {
              String id = "f-" + i;
              acks.add(
                  p.send(
                      new org.apache.kafka.clients.producer.ProducerRecord<>(
                          o.noisyTopic(),
                          null,
                          "s-" + (i % 8),
                          digits.gray8(i),
                          TestKafka.headers(
                              "content-type",
                              "application/x-gray8",
                              "width",
                              "28",
                              "height",
                              "28",
                              "frame-id",
                              id))));
              ids.add(id);
              if (i % 20 == 19) {
                p.flush();
                Thread.sleep(
                    60); // the feed's pace, so the crash lands mid-stream (stimulus, not a wait)
              }
            }
            for (java.util.concurrent.Future<?> a : acks) {
              a.get();
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return ids;
        });
  }

  static KafkaIngestVerticle deploy(KafkaOptions o) throws Exception {
    KafkaIngestVerticle v =
        new KafkaIngestVerticle(svc.svc(), o, new KafkaMetrics(new SimpleMeterRegistry()), 0);
    ServiceHarness.await(svc.vertx.deployVerticle(v));
    return v;
  }

  static Map<String, Integer> countIds(List<ConsumerRecord<String, byte[]>> records) {
    Map<String, Integer> n = new HashMap<>();
    records.forEach(r -> n.merge(TestKafka.header(r, KafkaHeaders.FRAME_ID), 1, Integer::sum));
    return n;
  }

  /**
   * Feeds FRAMES frames; a first consumer halts as a crash would once some outputs are out, a
   * second one (same group, same transactional.id) takes over. Returns the ids fed, once the second
   * has committed everything.
   */
  static List<String> crashMidStream(KafkaOptions o) throws Exception {
    boolean eos = o.guarantee() == KafkaOptions.Guarantee.EXACTLY_ONCE;
    CompletableFuture<List<String>> fed = feed(o, 0, FRAMES);
    KafkaIngestVerticle a = deploy(o);
    TestKafka.readAtLeast(o.denoisedTopic(), FRAMES / 6, eos);
    ServiceHarness.await(a.halt());
    // exactly-once: its initTransactions fences the crashed producer and aborts its open
    // transaction
    KafkaIngestVerticle b = deploy(o);
    List<String> ids = fed.get();
    assertTrue(TestKafka.awaitAllCommitted(o.groupId(), o.noisyTopic()));
    ServiceHarness.await(svc.vertx.undeploy(b.deploymentID()));
    return ids;
  }

  @Test
  void atLeastOnceLosesNothingWhenAConsumerCrashes() throws Exception {
    KafkaOptions o = options("crash-alo", KafkaOptions.Guarantee.AT_LEAST_ONCE);
    List<String> ids = crashMidStream(o);
    for (String topic : List.of(o.denoisedTopic(), o.latentTopic())) {
      Set<String> got = countIds(TestKafka.readToEnd(topic, false)).keySet();
      assertEquals(
          new TreeSet<>(ids),
          new TreeSet<>(got),
          "every input has at least one output in " + topic);
    }
  }

  @Test
  void exactlyOnceCommitsEveryOutputOnceWhenAConsumerCrashes() throws Exception {
    KafkaOptions o = options("crash-eos", KafkaOptions.Guarantee.EXACTLY_ONCE);
    assertExactlyOnce(o, crashMidStream(o));
  }

  @Test
  void aZombieIsFencedStopsByItselfAndItsSuccessorCommitsEverythingOnce() throws Exception {
    KafkaOptions o = options("zombie-eos", KafkaOptions.Guarantee.EXACTLY_ONCE);
    List<String> ids = new ArrayList<>(feed(o, 0, FRAMES / 2).get());
    KafkaIngestVerticle zombie = deploy(o);
    TestKafka.readAtLeast(o.denoisedTopic(), FRAMES / 6, true);
    // same transactional.id: its initTransactions fences the running instance, which must notice
    // and stop
    KafkaIngestVerticle successor = deploy(o);
    ids.addAll(feed(o, FRAMES / 2, FRAMES).get());
    assertTrue(TestKafka.awaitAllCommitted(o.groupId(), o.noisyTopic()));
    assertExactlyOnce(o, ids);
    assertTrue(zombie.closed(), "the fenced instance stopped by itself");
    ServiceHarness.await(svc.vertx.undeploy(successor.deploymentID()));
    ServiceHarness.await(svc.vertx.undeploy(zombie.deploymentID()));
  }

  static void assertExactlyOnce(KafkaOptions o, List<String> ids) throws Exception {
    Map<String, Integer> once = new HashMap<>();
    ids.forEach(id -> once.put(id, 1));
    for (String topic : List.of(o.denoisedTopic(), o.latentTopic())) {
      List<ConsumerRecord<String, byte[]>> committed = TestKafka.readToEnd(topic, true);
      assertEquals(
          once, countIds(committed), "every input has exactly one committed output in " + topic);
    }
  }
}
