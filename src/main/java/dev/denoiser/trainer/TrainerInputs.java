package dev.denoiser.trainer;

import dev.denoiser.error.DenoiserException;
import dev.denoiser.hotswap.PollingThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's Kafka input, on its own thread: one consumer in group {@code
 * <kafka.group.id>-trainer} reading the control topic (each message queues a run through {@link
 * Triggers}) and the reference topic (each frame goes into the {@link ReferenceBuffer}). Offsets
 * are committed after each batch is handled and the buffer flushed, so a control message is acted
 * on once by the trainer group, even if it was sent while no trainer ran. A bad record is logged
 * with its coordinates and counted, and the stream goes on.
 */
final class TrainerInputs extends PollingThread {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerInputs.class);
  private final String controlTopic;
  private final ReferenceCollector references;
  private final String referenceTopic;
  private final Triggers triggers;
  private final TrainerMetrics metrics;

  /** {@code references}/{@code referenceTopic} may be null: no reference frames. */
  TrainerInputs(
      Map<String, Object> config,
      String controlTopic,
      String referenceTopic,
      ReferenceCollector references,
      Triggers triggers,
      TrainerMetrics metrics) {
    super("denoiser-trainer-inputs", config);
    this.controlTopic = controlTopic;
    this.referenceTopic = references == null ? null : referenceTopic;
    this.references = references;
    this.triggers = triggers;
    this.metrics = metrics;
  }

  @Override
  protected void poll(KafkaConsumer<String, byte[]> c) throws Exception {
    List<String> topics = new ArrayList<>(List.of(controlTopic));
    if (referenceTopic != null) {
      topics.add(referenceTopic);
    }
    c.subscribe(topics);
    LOG.info(
        "trainer reads control messages from {}{}",
        controlTopic,
        referenceTopic == null ? "" : " and reference frames from " + referenceTopic);
    while (!stopping()) {
      ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
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
      if (!records.isEmpty()) {
        c.commitSync();
      }
    }
  }

  private void control(ConsumerRecord<String, byte[]> r) {
    try {
      ControlMessage m = ControlMessage.parse(r.value());
      TrainingRun run =
          triggers.submit(
              m.model(), m.params(), "kafka " + r.topic() + "-" + r.partition() + "@" + r.offset());
      metrics.control("accepted");
      LOG.info(
          "control message at {}-{}@{} queued run {} of {}",
          r.topic(),
          r.partition(),
          r.offset(),
          run.id(),
          run.model());
    } catch (DenoiserException e) {
      metrics.control(e.code().name());
      LOG.warn(
          "control message at {}-{}@{} refused: {}: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e.code(),
          e.getMessage());
    }
  }

  private boolean reference(ConsumerRecord<String, byte[]> r) {
    try {
      references.add(r);
      metrics.reference("accepted");
      return true;
    } catch (DenoiserException e) {
      metrics.reference(e.code().name());
      LOG.warn(
          "reference frame at {}-{}@{} refused: {}: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e.code(),
          e.getMessage());
      return false;
    } catch (java.io.IOException e) {
      metrics.reference("io_error");
      LOG.error(
          "reference frame at {}-{}@{} not stored: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e.toString());
      return false;
    }
  }
}
