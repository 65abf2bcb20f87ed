package dev.denoiser.kafka.embedded;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;

/**
 * Runs an {@link EmbeddedKafka} broker as a role of the service, so the service's drain stops it
 * after the ingest has committed. Deploy it as a worker: starting and stopping the broker block.
 */
public final class EmbeddedKafkaVerticle extends VerticleBase {
  private final Path dir;
  private final int port;
  private volatile EmbeddedKafka broker;

  public EmbeddedKafkaVerticle(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    try {
      broker = EmbeddedKafka.start(dir, port);
      return Future.succeededFuture();
    } catch (Exception e) {
      return Future.failedFuture(
          new IllegalStateException(
              "cannot start the embedded Kafka broker on port "
                  + port
                  + " with data in "
                  + dir
                  + ": "
                  + e.getMessage()
                  + " (set kafka.embedded.port, 0 picks a free one, or kafka.bootstrap.servers)",
              e));
    }
  }

  /** {@code host:port} of the running broker. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  @Override
  public Future<?> stop() {
    if (broker != null) {
      broker.close();
    }
    return Future.succeededFuture();
  }
}
