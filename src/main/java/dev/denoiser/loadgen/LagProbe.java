package dev.denoiser.loadgen;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples, once a second, the lag of the service's consumer group on the input topic: the sum over
 * its partitions of end offset minus committed offset (partitions without a committed offset are
 * left out). This is the number KEDA's Kafka scaler divides by {@code lagThreshold}.
 */
final class LagProbe implements AutoCloseable {
  private final Admin admin;
  private final String group;
  private final String topic;
  private final LoadStats stats;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "loadgen-kafka-lag");
            t.setDaemon(true);
            return t;
          });

  LagProbe(Map<String, Object> common, String group, String topic, LoadStats stats) {
    this.admin = Admin.create(new HashMap<>(common));
    this.group = group;
    this.topic = topic;
    this.stats = stats;
  }

  void start() {
    timer.scheduleWithFixedDelay(this::sample, 0, 1, TimeUnit.SECONDS);
  }

  /** The group's lag now, or -1 when it cannot be had (no such group, no committed offset). */
  long lag() {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(5, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
      committed.forEach(
          (tp, o) -> {
            if (tp.topic().equals(topic) && o != null) {
              ask.put(tp, OffsetSpec.latest());
            }
          });
      if (ask.isEmpty()) {
        return -1;
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(ask).all().get(5, TimeUnit.SECONDS);
      long lag = 0;
      for (var e : ends.entrySet()) {
        lag += Math.max(0, e.getValue().offset() - committed.get(e.getKey()).offset());
      }
      return lag;
    } catch (Exception e) {
      return -1;
    }
  }

  private void sample() {
    long lag = lag();
    if (lag >= 0) {
      stats.lag(lag);
    }
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(10, TimeUnit.SECONDS);
    admin.close(java.time.Duration.ofSeconds(5));
  }
}
