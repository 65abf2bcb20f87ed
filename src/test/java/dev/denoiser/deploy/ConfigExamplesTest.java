package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import dev.denoiser.kafka.client.KafkaOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every example in deploy/config/ loads through the service's own config loader (which refuses
 * unknown keys) and yields settings the roles accept: a processing guarantee, client properties, a
 * device, numbers where numbers go.
 */
class ConfigExamplesTest {
  @Test
  void everyExampleLoadsWithRealKeysAndValidValues() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(Repo.file("deploy/config"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(
        files.stream()
            .map(p -> p.getFileName().toString())
            .toList()
            .containsAll(List.of("compose.yaml", "k8s-cpu.yaml", "k8s-gpu.yaml", "local.yaml")),
        "one per environment: " + files);
    for (Path f : files) {
      Settings s = Configs.resolve(f, Map.of(), Map.of());
      KafkaOptions o = KafkaOptions.from(s, "unused");
      assertTrue(o.partitions() >= 1);
      assertTrue(
          s.getString(Setting.INFERENCE_DEVICE).matches("auto|cpu|cuda:\\d+"),
          f + ": inference.device");
      for (Setting k : Setting.values()) {
        if (k.defaultValue() instanceof Number) {
          s.getDouble(k);
        }
      }
      assertTrue(
          !s.getString(Setting.KAFKA_BOOTSTRAP_SERVERS).isBlank(),
          f + ": a real broker (replicas cannot share an embedded one)");
    }
  }
}
