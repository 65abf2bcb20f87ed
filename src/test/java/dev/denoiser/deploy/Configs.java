package dev.denoiser.deploy;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.denoiser.config.ConfigLoader;
import dev.denoiser.config.Setting;
import dev.denoiser.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service's settings as a deployment gives them: a config file, environment variables, {@code
 * --set} flags.
 */
final class Configs {
  private Configs() {}

  /**
   * The config key of a {@code DENOISER_*} variable; fails the test when no key has that variable.
   */
  static String keyOf(String envName) {
    if (envName.startsWith(Setting.KAFKA_CLIENT_ENV_PREFIX)
        && envName.length() > Setting.KAFKA_CLIENT_ENV_PREFIX.length()) {
      return ConfigLoader.kafkaClientKey(envName);
    }
    Setting s =
        Arrays.stream(Setting.values())
            .filter(x -> x.envName().equals(envName))
            .findFirst()
            .orElse(null);
    assertNotNull(s, envName + " is not the environment variable of any config key");
    return s.key();
  }

  /** Settings from {@code DENOISER_*} variables alone (a ConfigMap), every one checked. */
  static Settings fromEnv(Map<String, String> env) {
    JsonObject j = new JsonObject();
    env.forEach((k, v) -> j.put(keyOf(k), v));
    return Settings.of(j);
  }

  /**
   * Settings as the service resolves them: {@code file} (if any) read by the real {@link
   * ConfigLoader}, which refuses unknown keys, then {@code env}, then {@code flags}.
   */
  static Settings resolve(Path file, Map<String, String> env, Map<String, String> flags)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Settings s =
          ConfigLoader.load(vertx, file, Map.of())
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      for (Map.Entry<String, String> e : env.entrySet()) {
        if (e.getKey().startsWith("DENOISER_")) {
          s = s.with(keyOf(e.getKey()), e.getValue());
        }
      }
      for (Map.Entry<String, String> e : flags.entrySet()) {
        s = s.with(e.getKey(), e.getValue());
      }
      return s;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** True when two settings agree on every key. */
  static Map<String, String> differences(Settings a, Settings b) {
    Map<String, String> diff = new java.util.TreeMap<>();
    for (Setting s : Setting.values()) {
      if (!String.valueOf(a.getString(s)).equals(String.valueOf(b.getString(s)))) {
        diff.put(s.key(), a.getString(s) + " vs " + b.getString(s));
      }
    }
    Map<String, String> ca = a.withPrefix(Setting.KAFKA_CLIENT_PREFIX);
    Map<String, String> cb = b.withPrefix(Setting.KAFKA_CLIENT_PREFIX);
    if (!ca.equals(cb)) {
      diff.put(Setting.KAFKA_CLIENT_PREFIX + "*", ca + " vs " + cb);
    }
    return diff;
  }
}
