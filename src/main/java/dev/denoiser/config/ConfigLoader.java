package dev.denoiser.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Resolves the service configuration, lowest priority first: the defaults of {@link Setting}, an
 * optional config file read by vertx-config (YAML or JSON, flat dotted keys or nested objects),
 * environment variables {@code DENOISER_*}, system properties named like the keys, then the command
 * line's {@code --set key=value} pairs. Unknown keys in the file or flags are an error, so a typo
 * does not pass silently.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static Future<Settings> load(Vertx vertx, Path file, Map<String, String> flags) {
    Future<JsonObject> fromFile =
        file == null ? Future.succeededFuture(new JsonObject()) : readFile(vertx, file);
    return fromFile.map(f -> resolve(f, System.getenv(), System.getProperties(), flags));
  }

  private static Future<JsonObject> readFile(Vertx vertx, Path file) {
    if (!Files.isRegularFile(file)) {
      return Future.failedFuture(new IllegalArgumentException("config file not found: " + file));
    }
    String name = file.getFileName().toString();
    String format = name.endsWith(".yaml") || name.endsWith(".yml") ? "yaml" : "json";
    ConfigRetrieverOptions opts =
        new ConfigRetrieverOptions()
            .setIncludeDefaultStores(false)
            .addStore(
                new ConfigStoreOptions()
                    .setType("file")
                    .setFormat(format)
                    .setConfig(new JsonObject().put("path", file.toString())));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, opts);
    return retriever.getConfig().onComplete(x -> retriever.close());
  }

  static Settings resolve(
      JsonObject file, Map<String, String> env, Map<?, ?> sysProps, Map<String, String> flags) {
    JsonObject out = Settings.defaults();
    JsonObject flatFile = new JsonObject();
    flattenInto("", file, flatFile);
    for (String k : flatFile.fieldNames()) {
      requireKnown(k, "config file");
      out.put(k, flatFile.getValue(k));
    }
    for (Setting s : Setting.values()) {
      String v = env.get(s.envName());
      if (v != null) {
        out.put(s.key(), v);
      }
    }
    env.forEach(
        (k, v) -> {
          if (k.startsWith(Setting.KAFKA_CLIENT_ENV_PREFIX)
              && k.length() > Setting.KAFKA_CLIENT_ENV_PREFIX.length()) {
            out.put(kafkaClientKey(k), v);
          }
        });
    for (Setting s : Setting.values()) {
      Object v = sysProps.get(s.key());
      if (v != null) {
        out.put(s.key(), v.toString());
      }
    }
    sysProps.forEach(
        (k, v) -> {
          if (k.toString().startsWith(Setting.KAFKA_CLIENT_PREFIX)) {
            out.put(k.toString(), v.toString());
          }
        });
    if (flags != null) {
      flags.forEach(
          (k, v) -> {
            requireKnown(k, "--set");
            out.put(k, v);
          });
    }
    return Settings.of(out);
  }

  /**
   * {@code DENOISER_KAFKA_CLIENT_SASL_JAAS_CONFIG} to {@code kafka.client.sasl.jaas.config}:
   * Kafka's client property names are lower case with dots.
   */
  public static String kafkaClientKey(String envName) {
    return Setting.KAFKA_CLIENT_PREFIX
        + envName
            .substring(Setting.KAFKA_CLIENT_ENV_PREFIX.length())
            .toLowerCase(java.util.Locale.ROOT)
            .replace('_', '.');
  }

  private static void requireKnown(String key, String where) {
    if (key.startsWith(Setting.KAFKA_CLIENT_PREFIX)
        && key.length() > Setting.KAFKA_CLIENT_PREFIX.length()) {
      return;
    }
    if (Setting.byKey(key) == null) {
      throw new IllegalArgumentException(
          "unknown config key '" + key + "' in " + where + " (the README lists every key)");
    }
  }

  /** Copies {@code src} into {@code dst} with nested objects turned into dotted keys. */
  static void flattenInto(String prefix, JsonObject src, JsonObject dst) {
    for (Map.Entry<String, Object> e : src) {
      String k = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      Object v = e.getValue();
      if (v instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> mm = (Map<String, Object>) m;
        v = new JsonObject(mm);
      }
      if (v instanceof JsonObject o) {
        flattenInto(k, o, dst);
      } else {
        dst.put(k, v);
      }
    }
  }
}
