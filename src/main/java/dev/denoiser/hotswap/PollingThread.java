package dev.denoiser.hotswap;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A native Kafka consumer owned by one daemon thread (the consumer is not thread-safe), for inputs
 * whose handling blocks (model installs, file writes) and so must stay off the event loops. {@link
 * #poll} is the thread's body; {@link #stop} wakes the consumer and joins the thread.
 */
public abstract class PollingThread {
  private static final Logger LOG = LoggerFactory.getLogger(PollingThread.class);
  private final String name;
  private final Map<String, Object> config;
  private volatile boolean stopping;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private Thread thread;

  protected PollingThread(String name, Map<String, Object> config) {
    this.name = name;
    this.config = config;
  }

  /** Polls {@code c} until {@link #stopping()}; a WakeupException ends it quietly. */
  protected abstract void poll(KafkaConsumer<String, byte[]> c) throws Exception;

  /**
   * Called with what ended the thread unexpectedly: an exception, or an {@link Error} (out of
   * memory, a class that failed to load, a stack overflow), which would otherwise end the thread
   * with nobody told.
   */
  protected void died(Throwable e) {
    LOG.error("{} stopped: {}", name, e.toString(), e);
  }

  protected final boolean stopping() {
    return stopping;
  }

  public final void startThread() {
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config)) {
      consumer = c;
      if (!stopping) {
        poll(c);
      }
    } catch (WakeupException e) {
      // stopping
    } catch (Throwable e) {
      if (!stopping) {
        died(e);
      }
    }
  }

  /** Stops the thread (waiting up to 30 s on a worker). */
  public final Future<Void> stop(Vertx vertx) {
    stopping = true;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    Thread t = thread;
    return t == null
        ? Future.succeededFuture()
        : vertx.executeBlocking(
            () -> {
              t.join(TimeUnit.SECONDS.toMillis(30));
              return null;
            });
  }
}
