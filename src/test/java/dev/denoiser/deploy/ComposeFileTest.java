package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.kafka.client.KafkaOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.ParseResult;

/**
 * deploy/docker-compose.yml, parsed with SnakeYAML and checked without a Docker engine: a KRaft
 * single-node apache/kafka of the client's version with the replication-factor-1 settings, two or
 * more replicas of the image in one consumer group pointed at it, and a load generator; every
 * command parses against the jar, every config file, variable and {@code --set} is a real key.
 */
class ComposeFileTest {
  static final Path COMPOSE = Repo.file("deploy/docker-compose.yml");
  static Map<String, Map<String, Object>> services;
  static Set<String> listeners;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() {
    Map<String, Object> compose = new Yaml().load(Repo.read(COMPOSE));
    services = (Map<String, Map<String, Object>>) compose.get("services");
    assertNotNull(services, "services");
    Map<String, String> env = env(services.get("kafka"));
    listeners = new HashSet<>();
    for (String l : env.get("KAFKA_ADVERTISED_LISTENERS").split(",")) {
      listeners.add(l.substring(l.indexOf("://") + 3));
    }
  }

  @Test
  void kafkaIsTheOfficialImageOfTheClientsVersionInKraftModeWithSingleNodeReplication() {
    Map<String, Object> kafka = services.get("kafka");
    assertEquals("apache/kafka:" + Repo.pomProperty("kafka.version"), kafka.get("image"));
    Map<String, String> env = env(kafka);
    assertEquals(Set.of("broker", "controller"), Set.of(env.get("KAFKA_PROCESS_ROLES").split(",")));
    for (String k :
        List.of(
            "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
            "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
            "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")) {
      assertEquals(
          "1",
          env.get(k),
          k + ": one broker cannot hold more replicas; groups and transactions would never form");
    }
    assertTrue(
        env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").startsWith(env.get("KAFKA_NODE_ID") + "@"));
    assertNotNull(kafka.get("healthcheck"), "the replicas wait for a healthy broker");
  }

  @Test
  void replicasShareOneGroupOnTheBrokerWithRealCommandsAndKeys() throws Exception {
    List<String> replicas = replicas();
    assertTrue(replicas.size() >= 2, "at least two replicas: " + replicas);
    Set<String> groups = new HashSet<>();
    Set<String> txPrefixes = new HashSet<>();
    int feeders = 0;
    for (String name : replicas) {
      Map<String, Object> svc = services.get(name);
      ParseResult pr = JavaCommand.parse(command(svc));
      assertEquals(List.of("serve"), JavaCommand.commandPath(pr), name);
      Path config =
          mountedFile(svc, JavaCommand.leaf(pr).matchedOptionValue("--config", (Path) null));
      Settings s = Configs.resolve(config, env(svc), JavaCommand.sets(pr));
      KafkaOptions.from(s, "unused");
      assertTrue(
          listeners.contains(s.getString(Setting.KAFKA_BOOTSTRAP_SERVERS)),
          name
              + " reaches Kafka at an advertised listener "
              + listeners
              + ": "
              + s.getString(Setting.KAFKA_BOOTSTRAP_SERVERS));
      groups.add(s.getString(Setting.KAFKA_GROUP_ID));
      String tx = s.getString(Setting.KAFKA_TRANSACTIONAL_ID);
      assertFalse(tx.isBlank(), name + ": a stable transactional.id prefix");
      assertTrue(txPrefixes.add(tx), name + ": transactional.id prefixes are unique per replica");
      String demo = s.getString(Setting.KAFKA_DEMO_ENABLED);
      feeders += demo.equals("true") ? 1 : 0;
      assertTrue(
          s.getInt(Setting.KAFKA_TOPIC_PARTITIONS) >= replicas.size(),
          "a partition for every replica");
      long drainSeconds =
          (s.getLong(Setting.KAFKA_SHUTDOWN_GRACE_MS) + s.getLong(Setting.HTTP_SHUTDOWN_GRACE_MS))
              / 1000;
      assertTrue(
          seconds(svc.get("stop_grace_period")) > drainSeconds,
          name + ": stop_grace_period longer than the drain (" + drainSeconds + " s)");
      assertEquals(
          "service_healthy", dependsOn(svc).get("kafka"), name + " waits for a healthy broker");
      if (Boolean.TRUE.equals(svc.get("read_only"))) {
        assertTrue(
            String.valueOf(svc.get("tmpfs")).contains("/tmp"),
            name + ": read-only, with a writable /tmp");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> build = (Map<String, Object>) svc.get("build");
      assertTrue(
          Files.isRegularFile(
              COMPOSE
                  .getParent()
                  .resolve(build.get("context").toString())
                  .resolve(build.get("dockerfile").toString())
                  .normalize()),
          name + ": its Dockerfile exists");
    }
    assertEquals(1, groups.size(), "one consumer group: " + groups);
    assertTrue(feeders <= 1, "the demo feed is off, or on in one replica");
  }

  @Test
  void theLoadGeneratorFeedsTheReplicasInputTopicOnTheBroker() throws Exception {
    Map<String, Object> lg = services.get("loadgen");
    assertNotNull(lg, "a load generator service");
    ParseResult pr = JavaCommand.parse(command(lg));
    assertEquals(List.of("loadgen", "kafka"), JavaCommand.commandPath(pr));
    ParseResult leaf = JavaCommand.leaf(pr);
    assertTrue(
        listeners.contains(leaf.matchedOptionValue("--bootstrap", "")),
        "--bootstrap is a listener of the broker");
    String topic =
        leaf.matchedOptionValue(
            "--input-topic", Setting.KAFKA_TOPIC_NOISY.defaultValue().toString());
    for (String name : replicas()) {
      ParseResult spr = JavaCommand.parse(command(services.get(name)));
      Settings s =
          Configs.resolve(
              mountedFile(
                  services.get(name),
                  JavaCommand.leaf(spr).matchedOptionValue("--config", (Path) null)),
              env(services.get(name)),
              JavaCommand.sets(spr));
      assertEquals(topic, s.getString(Setting.KAFKA_TOPIC_NOISY));
      assertEquals(
          "service_healthy",
          dependsOn(lg).get(name),
          "loadgen starts once " + name + " is healthy");
    }
    assertTrue(leaf.matchedOptionValue("--duration", null) != null, "bounded in time");
  }

  @Test
  void hostPortsAreUniqueAndVariablesAreConfigKeys() {
    Set<String> hostPorts = new HashSet<>();
    services.forEach(
        (name, svc) -> {
          for (Object p : (List<?>) svc.getOrDefault("ports", List.of())) {
            String host = p.toString().split(":")[0];
            assertTrue(hostPorts.add(host), "host port " + host + " used twice");
          }
          env(svc).keySet().stream().filter(k -> k.startsWith("DENOISER_")).forEach(Configs::keyOf);
        });
  }

  static List<String> replicas() {
    List<String> out = new ArrayList<>();
    services.forEach(
        (name, svc) -> {
          if (svc.get("build") != null && command(svc).contains("serve")) {
            out.add(name);
          }
        });
    return out;
  }

  /**
   * The container's full command line: the image's entrypoint (java ... -jar) plus compose's
   * command.
   */
  static List<String> command(Map<String, Object> svc) {
    List<String> out = new ArrayList<>();
    ((List<?>) svc.get("command")).forEach(o -> out.add(o.toString()));
    return out;
  }

  /** The host file mounted at {@code target}, which must exist. */
  static Path mountedFile(Map<String, Object> svc, Path target) {
    assertNotNull(target, "serve --config FILE");
    for (Object v : (List<?>) svc.getOrDefault("volumes", List.of())) {
      String[] parts = v.toString().split(":");
      if (parts.length >= 2 && parts[1].equals(target.toString())) {
        Path src = COMPOSE.getParent().resolve(parts[0]).normalize();
        assertTrue(Files.isRegularFile(src), "mounted config " + src + " exists");
        return src;
      }
    }
    throw new AssertionError("nothing is mounted at " + target);
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> env(Map<String, Object> svc) {
    Object e = svc.get("environment");
    Map<String, String> out = new LinkedHashMap<>();
    if (e instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(k.toString(), String.valueOf(v)));
    } else if (e instanceof List<?> l) {
      l.forEach(
          x -> {
            String[] kv = x.toString().split("=", 2);
            out.put(kv[0], kv.length > 1 ? kv[1] : "");
          });
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> dependsOn(Map<String, Object> svc) {
    Map<String, String> out = new HashMap<>();
    Object d = svc.get("depends_on");
    if (d instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) ->
              out.put(k.toString(), String.valueOf(((Map<String, Object>) v).get("condition"))));
    } else if (d instanceof List<?> l) {
      l.forEach(x -> out.put(x.toString(), "service_started"));
    }
    return out;
  }

  static long seconds(Object duration) {
    String s = String.valueOf(duration).trim();
    if (s.endsWith("m")) {
      return Long.parseLong(s.substring(0, s.length() - 1)) * 60;
    }
    return Long.parseLong(s.replace("s", ""));
  }
}
