package dev.denoiser.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @Test
  void laterSourcesWin() {
    JsonObject file =
        new JsonObject()
            .put("http", new JsonObject().put("port", 9000))
            .put("batching.queueSize", 10)
            .put("batching.maxBatchSize", 7)
            .put("models.dir", "from-file");
    Map<String, String> env =
        Map.of("DENOISER_BATCHING_QUEUESIZE", "20", "DENOISER_MODELS_DIR", "from-env");
    Properties sys = new Properties();
    sys.setProperty("models.dir", "from-sys");
    Settings s = ConfigLoader.resolve(file, env, sys, Map.of("batching.maxBatchSize", "3"));
    assertEquals(9000, s.getInt(Setting.HTTP_PORT), "nested file keys");
    assertEquals(20, s.getInt(Setting.BATCH_QUEUE_SIZE), "env beats file");
    assertEquals("from-sys", s.getString(Setting.MODELS_DIR), "system property beats env");
    assertEquals(3, s.getInt(Setting.BATCH_MAX_SIZE), "--set beats everything");
    assertEquals(Setting.INFERENCE_DEVICE.defaultValue(), s.getString(Setting.INFERENCE_DEVICE));
  }

  @Test
  void unknownKeysAndBadNumbersAreClearErrors() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ConfigLoader.resolve(
                    new JsonObject().put("http.prot", 1), Map.of(), new Properties(), Map.of()));
    assertTrue(e.getMessage().contains("http.prot"));
    Settings s =
        ConfigLoader.resolve(
            new JsonObject(), Map.of(), new Properties(), Map.of("http.port", "eighty"));
    e = assertThrows(IllegalArgumentException.class, () -> s.getInt(Setting.HTTP_PORT));
    assertTrue(e.getMessage().contains("http.port"));
  }

  @Test
  void readsYamlFilesThroughVertxConfig(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(
        f, "http:\n  port: 9100\nbatching:\n  maxBatchDelayMicros: 250\n", StandardCharsets.UTF_8);
    Vertx vertx = Vertx.vertx();
    try {
      Settings s =
          ConfigLoader.load(vertx, f, Map.of()).toCompletionStage().toCompletableFuture().get();
      assertEquals(9100, s.getInt(Setting.HTTP_PORT));
      assertEquals(250, s.getLong(Setting.BATCH_MAX_DELAY_US));
    } finally {
      vertx.close();
    }
  }

  @Test
  void docsListEveryKey() throws Exception {
    String page = Files.readString(Path.of("docs/configuration.md"));
    assertTrue(
        page.contains(dev.denoiser.cli.ConfigCommand.table()),
        "docs/configuration.md's table must be the output of `stream-denoiser config`");
  }
}
