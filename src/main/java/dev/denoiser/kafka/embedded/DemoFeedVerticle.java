package dev.denoiser.kafka.embedded;

import dev.denoiser.data.NoisyDigits;
import dev.denoiser.frame.MediaType;
import dev.denoiser.kafka.client.KafkaHeaders;
import dev.denoiser.kafka.client.KafkaOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo feed: publishes noisy MNIST test digits ({@link NoisyDigits}, seeded) to {@code
 * kafka.topic.noisy} at {@code kafka.demo.framesPerSecond}, as 28x28 {@code application/x-gray8}
 * records with {@code width}, {@code height} and {@code frame-id} ({@code demo-<n>}) headers, keyed
 * {@code demo-0} to {@code demo-3} (four streams). With a {@link VideoDemoFrames} it plays noisy
 * video frames instead, at their size, with its {@code model} header.
 */
public final class DemoFeedVerticle extends VerticleBase {
  static final int STREAMS = 4;
  private static final Logger LOG = LoggerFactory.getLogger(DemoFeedVerticle.class);
  private static final long TICK_MS = 20;
  private static final int SIZE = 28;
  private final KafkaOptions options;
  private final double framesPerSecond;
  private final double noise;
  private KafkaWriteStream<String, byte[]> producer;
  private NoisyDigits digits;
  private final VideoDemoFrames video;
  private long timer = -1;
  private long lastTick;
  private double credit;
  private int seq;
  private long failures;

  /** The MNIST model the digit records name, so that they do not go to models.default. */
  public static final String DIGIT_MODEL = "conv-upsample";

  private final String digitModel;

  public DemoFeedVerticle(KafkaOptions options, double framesPerSecond, double noise) {
    this(options, framesPerSecond, noise, null, null);
  }

  /**
   * A feed of {@code video} frames when it is not null (closed when the feed stops), else of digits
   * whose records name {@code digitModel} (null: none, models.default serves them).
   */
  public DemoFeedVerticle(
      KafkaOptions options,
      double framesPerSecond,
      double noise,
      VideoDemoFrames video,
      String digitModel) {
    this.options = options;
    this.framesPerSecond = framesPerSecond;
    this.noise = noise;
    this.video = video;
    this.digitModel = digitModel;
  }

  @Override
  public Future<?> start() {
    producer =
        KafkaWriteStream.create(vertx, options.producerConfig(options.groupId() + "-demo-feed"));
    producer.exceptionHandler(e -> LOG.debug("demo feed producer: {}", e.toString()));
    digits = new NoisyDigits(42, noise, SIZE);
    lastTick = System.nanoTime();
    timer = vertx.setPeriodic(TICK_MS, id -> tick());
    if (video != null) {
      LOG.info(
          "demo feed: {} noisy {}x{} video frames per second into {}",
          framesPerSecond,
          video.width(),
          video.height(),
          options.noisyTopic());
    } else {
      LOG.info(
          "demo feed: {} noisy MNIST digits per second (noise sigma {}) into {}",
          framesPerSecond,
          noise,
          options.noisyTopic());
    }
    return Future.succeededFuture();
  }

  private void tick() {
    long now = System.nanoTime();
    credit =
        Math.min(credit + framesPerSecond * (now - lastTick) / 1e9, Math.max(1, framesPerSecond));
    lastTick = now;
    if (producer.writeQueueFull()) {
      return;
    }
    for (int n = (int) credit; n > 0; n--) {
      credit -= 1;
      send(seq++);
    }
  }

  private void send(int n) {
    byte[] value = video == null ? digits.gray8(n) : video.poll();
    if (value == null) {
      return; // the decoder is behind: skip this frame
    }
    Headers h = new RecordHeaders();
    KafkaHeaders.put(h, KafkaHeaders.CONTENT_TYPE, MediaType.GRAY8.mime());
    KafkaHeaders.put(h, KafkaHeaders.WIDTH, video == null ? SIZE : video.width());
    KafkaHeaders.put(h, KafkaHeaders.HEIGHT, video == null ? SIZE : video.height());
    KafkaHeaders.put(h, KafkaHeaders.FRAME_ID, "demo-" + n);
    String model = video != null ? video.model() : digitModel;
    if (model != null) {
      KafkaHeaders.put(h, KafkaHeaders.MODEL, model);
    }
    producer
        .send(new ProducerRecord<>(options.noisyTopic(), null, "demo-" + (n % STREAMS), value, h))
        .onFailure(
            e -> {
              if (failures++ % 100 == 0) {
                LOG.warn("demo feed could not publish: {}", e.toString());
              }
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    if (video != null) {
      video.close();
    }
    return producer.close(5_000);
  }
}
