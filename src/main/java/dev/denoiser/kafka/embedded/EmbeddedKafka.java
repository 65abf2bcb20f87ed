package dev.denoiser.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft: broker and controller in one node) inside this
 * JVM, for the service's default run, the tests and the benchmark. It listens on {@code
 * 127.0.0.1:<port>} (PLAINTEXT) and keeps its log and metadata in one directory, which is formatted
 * on first use and reused after that.
 *
 * <p>{@link #start(Path, int, String)} adds a second client listener, {@code SASL_PLAINTEXT} with
 * the {@code PLAIN} mechanism and the users of a JAAS configuration, for trying security settings
 * locally ({@link #saslBootstrapServers()}); the broker itself still talks PLAINTEXT.
 *
 * <p>Single-node settings: every internal topic has replication factor 1 and min ISR 1 (else
 * consumer groups and transactions never form), rebalances start without delay, topics are not
 * created on first use (the service creates its own), and logs are kept one hour.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String HOST = "127.0.0.1";
  private final KafkaRaftServer server;
  private final String bootstrap;
  private final String saslBootstrap;
  private final Path dir;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrap, String saslBootstrap, Path dir) {
    this.server = server;
    this.bootstrap = bootstrap;
    this.saslBootstrap = saslBootstrap;
    this.dir = dir;
  }

  /**
   * Formats {@code dir} if it is new, then starts the broker on {@code port} (0: a free port).
   * Blocks.
   */
  public static EmbeddedKafka start(Path dir, int port) throws Exception {
    return start(dir, port, null);
  }

  /**
   * As {@link #start(Path, int)}, plus, when {@code plainJaasConfig} is not null, a {@code
   * SASL_PLAINTEXT} listener on a free port whose {@code PLAIN} users are those of the JAAS
   * configuration ({@code org.apache.kafka.common.security.plain.PlainLoginModule required
   * user_NAME="PASSWORD" ...;}).
   */
  public static EmbeddedKafka start(Path dir, int port, String plainJaasConfig) throws Exception {
    Path abs = dir.toAbsolutePath();
    Files.createDirectories(abs);
    int brokerPort = port > 0 ? port : freePort();
    int controllerPort = freePort();
    Map<String, Object> props = properties(abs, brokerPort, controllerPort);
    String saslBootstrap = null;
    if (plainJaasConfig != null) {
      int saslPort = freePort();
      saslBootstrap = HOST + ":" + saslPort;
      props.put("listeners", props.get("listeners") + ",SASL_PLAINTEXT://" + saslBootstrap);
      props.put(
          "advertised.listeners",
          props.get("advertised.listeners") + ",SASL_PLAINTEXT://" + saslBootstrap);
      props.put(
          "listener.security.protocol.map",
          props.get("listener.security.protocol.map") + ",SASL_PLAINTEXT:SASL_PLAINTEXT");
      props.put("sasl.enabled.mechanisms", "PLAIN");
      props.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", plainJaasConfig);
    }
    KafkaConfig config = new KafkaConfig(props, false);
    format(config, abs);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      server.shutdown();
      throw e;
    }
    String bootstrap = HOST + ":" + brokerPort;
    LOG.info(
        "embedded Kafka broker (KRaft, single node) listening on {}, data in {}", bootstrap, abs);
    return new EmbeddedKafka(server, bootstrap, saslBootstrap, abs);
  }

  static Map<String, Object> properties(Path dir, int brokerPort, int controllerPort) {
    Map<String, Object> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    p.put("log.dirs", dir.toString());
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    p.put("log.retention.ms", Long.toString(3_600_000L));
    p.put("log.segment.bytes", Integer.toString(16 << 20));
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 << 20));
    return p;
  }

  private static void format(KafkaConfig config, Path dir) throws Exception {
    if (Files.exists(dir.resolve("meta.properties"))) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new Formatter()
        .setPrintStream(new PrintStream(out, true, StandardCharsets.UTF_8))
        .setClusterId(Uuid.randomUuid().toString())
        .setNodeId(config.nodeId())
        .setControllerListenerName("CONTROLLER")
        .setMetadataLogDirectory(config.metadataLogDir())
        .setDirectories(List.of(dir.toString()))
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .run();
    LOG.debug("formatted {}: {}", dir, out.toString(StandardCharsets.UTF_8).trim());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrap;
  }

  /** {@code host:port} of the SASL_PLAINTEXT listener, or null when the broker has none. */
  public String saslBootstrapServers() {
    return saslBootstrap;
  }

  public Path dataDir() {
    return dir;
  }

  /** Stops the broker and waits until it has stopped. */
  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    LOG.info("embedded Kafka broker on {} stopped", bootstrap);
  }
}
