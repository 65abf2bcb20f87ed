package dev.denoiser.trainer;

import dev.denoiser.error.DenoiserException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's Kafka input, on its own thread: one consumer in group
 * {@code <kafka.group.id>-trainer} reading the control topic (each message queues a run through
 * {@link Triggers}) and the reference topic (each frame goes into the {@link ReferenceBuffer}).
 * Offsets are committed after each batch is handled and the buffer flushed, so a control message
 * is acted on once by the trainer group, even if it was sent while no trainer ran. A bad record is
 * logged with its coordinates and counted, and the stream goes on.
 */
final class TrainerInputs {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerInputs.class);
  private final Map<String, Object> config;
  private final String controlTopic;
  private final ReferenceCollector references;
  private final String referenceTopic;
  private final Triggers triggers;
  private final TrainerMetrics metrics;
  private volatile boolean stopping;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  /** {@code references}/{@code referenceTopic} may be null: no reference frames. */
  TrainerInputs(Map<String, Object> config, String controlTopic, String referenceTopic, ReferenceCollector references,
      Triggers triggers, TrainerMetrics metrics) {
    this.config = config;
    this.controlTopic = controlTopic;
    this.referenceTopic = references == null ? null : referenceTopic;
    this.references = references;
    this.triggers = triggers;
    this.metrics = metrics;
  }

  void start() {
    thread = new Thread(this::loop, "denoiser-trainer-inputs");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    List<String> topics = new ArrayList<>(List.of(controlTopic));
    if (referenceTopic != null) {
      topics.add(referenceTopic);
    }
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config)) {
      consumer = c;
      if (stopping) {
        return;
      }
      c.subscribe(topics);
      LOG.info("trainer reads control messages from {}{}", controlTopic,
          referenceTopic == null ? "" : " and reference frames from " + referenceTopic);
      while (!stopping) {
        ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
        if (records.isEmpty()) {
          continue;
        }
        boolean frames = false;
        for (ConsumerRecord<String, byte[]> r : records) {
          if (r.topic().equals(controlTopic)) {
            control(r);
          } else {
            frames |= reference(r);
          }
        }
        if (frames) {
          references.buffer().flush();
        }
        c.commitSync();
      }
    } catch (WakeupException e) {
      // stopping
    } catch (Exception e) {
      if (!stopping) {
        LOG.error("trainer input consumer stopped: {}", e.toString());
      }
    }
  }

  private void control(ConsumerRecord<String, byte[]> r) {
    try {
      ControlMessage m = ControlMessage.parse(r.value());
      TrainingRun run = triggers.submit(m.model(), m.params(), "kafka " + r.topic() + "-" + r.partition() + "@" + r.offset());
      metrics.control("accepted");
      LOG.info("control message at {}-{}@{} queued run {} of {}", r.topic(), r.partition(), r.offset(), run.id(), run.model());
    } catch (DenoiserException e) {
      metrics.control(e.code().name());
      LOG.warn("control message at {}-{}@{} refused: {}: {}", r.topic(), r.partition(), r.offset(), e.code(), e.getMessage());
    }
  }

  private boolean reference(ConsumerRecord<String, byte[]> r) {
    try {
      references.add(r);
      metrics.reference("accepted");
      return true;
    } catch (DenoiserException e) {
      metrics.reference(e.code().name());
      LOG.warn("reference frame at {}-{}@{} refused: {}: {}", r.topic(), r.partition(), r.offset(), e.code(), e.getMessage());
      return false;
    } catch (java.io.IOException e) {
      metrics.reference("io_error");
      LOG.error("reference frame at {}-{}@{} not stored: {}", r.topic(), r.partition(), r.offset(), e.toString());
      return false;
    }
  }

  /** Stops the thread (blocking up to 30 s); returns on a worker. */
  Future<Void> stop(Vertx vertx) {
    stopping = true;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    Thread t = thread;
    return t == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
      t.join(TimeUnit.SECONDS.toMillis(30));
      return null;
    });
  }
}
