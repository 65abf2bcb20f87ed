package dev.denoiser.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.kafka.client.KafkaOptions;
import dev.denoiser.kafka.client.TopicSetup;
import dev.denoiser.testing.TestClips;
import dev.denoiser.testing.TestKafka;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo feed with kafka.demo.source=video puts noisy gray8 video frames with their size and
 * model into Kafka.
 */
@Tag("slow")
class VideoDemoFeedTest {
  @TempDir Path dir;

  @Test
  void publishesNoisyVideoFramesWithSizeAndModelHeaders() throws Exception {
    Path clip = dir.resolve("clip.avi");
    TestClips.testPattern(clip, 1);
    Settings s =
        Settings.of(TestKafka.names("video-demo").put(Setting.KAFKA_TOPIC_PARTITIONS.key(), 1))
            .with(Setting.KAFKA_DEMO_SOURCE, "video")
            .with(Setting.KAFKA_DEMO_VIDEO_FILE, clip.toString())
            .with(Setting.KAFKA_DEMO_VIDEO_SIZE, "32x24")
            .with(Setting.KAFKA_DEMO_VIDEO_MODEL, "natural-gray");
    KafkaOptions o = KafkaOptions.from(s, TestKafka.bootstrap());
    TopicSetup.ensure(o);
    Vertx vertx = Vertx.vertx();
    List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                TestKafka.bootstrap(),
                "group.id",
                o.groupId() + "-check",
                "auto.offset.reset",
                "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      VideoDemoFrames video = VideoDemoFrames.fromSettings(s, java.util.Set.of("natural-gray"));
      vertx
          .deployVerticle(new DemoFeedVerticle(o, 20, 0.3, video, null))
          .toCompletionStage()
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      consumer.subscribe(List.of(o.noisyTopic()));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (got.size() < 8 && System.nanoTime() < end) {
        consumer.poll(Duration.ofMillis(500)).forEach(got::add);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    assertTrue(got.size() >= 8, "video frames arrived: " + got.size());
    for (ConsumerRecord<String, byte[]> r : got) {
      assertEquals(32 * 24, r.value().length);
      assertEquals(
          "application/x-gray8", KafkaHeaders.text(r.headers(), KafkaHeaders.CONTENT_TYPE));
      assertEquals(32, KafkaHeaders.integer(r.headers(), KafkaHeaders.WIDTH));
      assertEquals(24, KafkaHeaders.integer(r.headers(), KafkaHeaders.HEIGHT));
      assertEquals("natural-gray", KafkaHeaders.text(r.headers(), KafkaHeaders.MODEL));
      assertTrue(KafkaHeaders.text(r.headers(), KafkaHeaders.FRAME_ID).startsWith("demo-"));
    }
  }
}
