package dev.denoiser.cli;

import dev.denoiser.config.Setting;
import dev.denoiser.kafka.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code broker}: runs only the embedded single-node Kafka broker (KRaft, the one {@code serve}
 * starts when no cluster is configured) on {@code 127.0.0.1}, until Ctrl-C or SIGTERM. Several
 * {@code serve} replicas on one machine can then share it as one consumer group ({@code --set
 * kafka.bootstrap.servers=127.0.0.1:PORT}); the Kafka load test and the scale-out test use it that
 * way. Prints {@code broker ready on 127.0.0.1:PORT} on stdout once it accepts clients. Loopback
 * only: containers and clusters use a real Kafka.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description =
        "Run only the embedded single-node Kafka broker (KRaft) on 127.0.0.1 until stopped.")
public final class BrokerCommand implements Callable<Integer> {
  /** The line printed once the broker accepts clients; the address follows it. */
  public static final String READY = "broker ready on ";

  @Option(
      names = "--port",
      description = "Port on 127.0.0.1 (0 picks a free one; default: kafka.embedded.port, 9092).")
  Integer port;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Log and metadata directory, kept across runs (default: kafka.embedded.dataDir, data/kafka).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    int p = port != null ? port : ((Number) Setting.KAFKA_EMBEDDED_PORT.defaultValue()).intValue();
    Path dir =
        dataDir != null ? dataDir : Path.of(Setting.KAFKA_EMBEDDED_DIR.defaultValue().toString());
    EmbeddedKafka broker = EmbeddedKafka.start(dir, p);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.close();
                  stopped.countDown();
                },
                "broker-shutdown"));
    System.out.println(READY + broker.bootstrapServers());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
