package dev.denoiser.kafka.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the role's topics when they are missing: the input, denoised and latent topics with
 * {@code kafka.topic.partitions} partitions each (the same count keeps a stream on the same
 * partition number everywhere), the dead-letter topic with one; replication is {@code
 * kafka.topic.replicationFactor}, or the cluster's default. Existing topics are left as they are.
 * With {@code kafka.topic.autoCreate=false} nothing is created, and missing topics fail the
 * start-up with their names. Returns once every partition has a working leader.
 */
public final class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
  private static final long TIMEOUT_S = 60;

  private TopicSetup() {}

  /** Blocking; returns the topics it created. */
  public static List<String> ensure(KafkaOptions o) throws Exception {
    try (Admin admin = Admin.create(o.adminConfig())) {
      Set<String> existing;
      try {
        existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        // the first call to the cluster: a wrong password or protocol shows here, in one line
        Throwable c = e.getCause();
        throw new IllegalStateException(
            "Kafka at "
                + o.bootstrapServers()
                + ": "
                + c.getClass().getSimpleName()
                + ": "
                + c.getMessage(),
            c);
      }
      Optional<Short> replication =
          o.replicationFactor() > 0 ? Optional.of((short) o.replicationFactor()) : Optional.empty();
      List<NewTopic> missing = new ArrayList<>();
      for (String t : List.of(o.noisyTopic(), o.denoisedTopic(), o.latentTopic())) {
        if (!existing.contains(t)) {
          missing.add(new NewTopic(t, Optional.of(o.partitions()), replication));
        }
      }
      if (!existing.contains(o.dlqTopic())) {
        missing.add(new NewTopic(o.dlqTopic(), Optional.of(1), replication));
      }
      if (!o.autoCreateTopics() && !missing.isEmpty()) {
        throw new IllegalStateException(
            "missing topics "
                + missing.stream().map(NewTopic::name).toList()
                + " and kafka.topic.autoCreate is false: create them, or set it to true");
      }
      List<String> created = new ArrayList<>();
      for (var e : admin.createTopics(missing).values().entrySet()) {
        try {
          e.getValue().get(TIMEOUT_S, TimeUnit.SECONDS);
          created.add(e.getKey());
        } catch (ExecutionException ex) {
          if (!(ex.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + e.getKey() + ": " + ex.getCause().getMessage(),
                ex.getCause());
          }
        }
      }
      if (!created.isEmpty()) {
        LOG.info("created topics {}", created);
      }
      awaitReady(admin, List.of(o.noisyTopic(), o.denoisedTopic(), o.latentTopic(), o.dlqTopic()));
      return created;
    }
  }

  /**
   * Waits until the leader of every partition of {@code topics} answers for it (a ListOffsets
   * request succeeds). An idempotent producer whose first request reaches a partition before its
   * leader has created it can lose that batch (KAFKA-15591, in Kafka up to 4.1), so nothing may
   * write to a topic created a moment ago before this returns.
   */
  public static void awaitReady(Admin admin, Collection<String> topics) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (true) {
      try {
        Map<TopicPartition, OffsetSpec> q = new HashMap<>();
        admin
            .describeTopics(topics)
            .allTopicNames()
            .get(TIMEOUT_S, TimeUnit.SECONDS)
            .forEach(
                (name, d) ->
                    d.partitions()
                        .forEach(
                            p ->
                                q.put(
                                    new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        admin.listOffsets(q).all().get(TIMEOUT_S, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "topics " + topics + " are not ready: " + e.getCause().getMessage(), e.getCause());
        }
        Thread.sleep(100);
      }
    }
  }
}
