package dev.denoiser.config;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A resolved configuration: flat dotted keys to values, every {@link Setting} present. Immutable
 * view over a {@link JsonObject}; {@link #json()} is what verticles receive as their config.
 */
public final class Settings {
  private final JsonObject json;

  private Settings(JsonObject json) {
    this.json = json;
  }

  /** Defaults for every setting, overlaid with {@code overrides} (flat or nested keys). */
  public static Settings of(JsonObject overrides) {
    JsonObject j = defaults();
    ConfigLoader.flattenInto("", overrides == null ? new JsonObject() : overrides, j);
    return new Settings(j);
  }

  public static Settings defaultsOnly() {
    return new Settings(defaults());
  }

  static JsonObject defaults() {
    JsonObject j = new JsonObject();
    for (Setting s : Setting.values()) {
      j.put(s.key(), s.defaultValue());
    }
    return j;
  }

  public JsonObject json() {
    return json.copy();
  }

  public Settings with(Setting s, Object value) {
    return with(s.key(), value);
  }

  public Settings with(String key, Object value) {
    JsonObject j = json.copy();
    j.put(key, value);
    return new Settings(j);
  }

  public Settings withAll(Map<String, ?> values) {
    JsonObject j = json.copy();
    values.forEach(j::put);
    return new Settings(j);
  }

  /**
   * Every key that starts with {@code prefix}, without it, as text (e.g. the Kafka client
   * properties).
   */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (String k : json.fieldNames()) {
      Object v = json.getValue(k);
      if (k.startsWith(prefix) && k.length() > prefix.length() && v != null) {
        out.put(k.substring(prefix.length()), v.toString());
      }
    }
    return out;
  }

  public String getString(Setting s) {
    return getString(s.key());
  }

  public String getString(String key) {
    Object v = json.getValue(key);
    return v == null ? null : v.toString();
  }

  public int getInt(Setting s) {
    return (int) getLong(s.key());
  }

  public long getLong(Setting s) {
    return getLong(s.key());
  }

  public long getLong(String key) {
    Object v = json.getValue(key);
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "config key '" + key + "' must be a number, got '" + v + "'");
    }
  }

  public double getDouble(Setting s) {
    Object v = json.getValue(s.key());
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "config key '" + s.key() + "' must be a number, got '" + v + "'");
    }
  }

  public boolean getBoolean(Setting s) {
    Object v = json.getValue(s.key());
    if (v instanceof Boolean b) {
      return b;
    }
    String t = String.valueOf(v).trim();
    if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(t);
    }
    throw new IllegalArgumentException(
        "config key '" + s.key() + "' must be true or false, got '" + v + "'");
  }

  @Override
  public String toString() {
    return json.encode();
  }
}
