package dev.splitlearn.core.config;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A config file's parsed literal (a YAML or JSON map), read key by key: typed values with defaults,
 * and one-line errors that name the file and the key ({@code crowd.yaml: 'devices' must be ...}).
 */
public final class ConfigLiteral {
  private final Map<String, Object> literal;
  private final String source;

  /**
   * @param literal the parsed map
   * @param source how errors name the file
   */
  public ConfigLiteral(Map<String, Object> literal, String source) {
    this.literal = literal;
    this.source = source;
  }

  /** The raw value of {@code key}, or null. */
  public Object get(String key) {
    return literal.get(key);
  }

  /** Refuses any key outside {@code known}. */
  public void onlyKeys(Collection<String> known) {
    for (String key : literal.keySet()) {
      if (!known.contains(key)) {
        throw error(key, "is unknown; known: " + known);
      }
    }
  }

  /** A one-word value, or {@code fallback} when absent; a null fallback makes the key required. */
  public String word(String key, String fallback) {
    Object v = literal.get(key);
    if (v == null) {
      if (fallback == null) {
        throw error(key, "must not be empty");
      }
      return fallback;
    }
    if (v instanceof Map || v instanceof List || v.toString().isBlank()) {
      throw error(key, "must be a word, got " + v);
    }
    return v.toString().trim();
  }

  /** A finite number, or {@code fallback} when absent. */
  public double number(String key, double fallback) {
    Object v = literal.get(key);
    return v == null ? fallback : finite(key, v);
  }

  /** {@code v} (found at {@code path}, for the error) as a finite number. */
  public double finite(String path, Object v) {
    try {
      double d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw error(path, "must be a finite number, got '" + v + "'");
  }

  /** An int of at least {@code min}, or {@code fallback} when absent. */
  public int integer(String key, int fallback, long min) {
    Object v = literal.get(key);
    if (v == null) {
      return fallback;
    }
    long n;
    try {
      n =
          v instanceof Integer || v instanceof Long
              ? ((Number) v).longValue()
              : Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw error(key, "must be an integer, got '" + v + "'");
    }
    if (n < min || n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
      throw error(key, "must be an integer >= " + min + ", got " + v);
    }
    return (int) n;
  }

  /**
   * The error for {@code key} (or a path such as {@code clients[1].dataset}): "source: 'key' what".
   */
  public IllegalArgumentException error(String key, String what) {
    return new IllegalArgumentException(source + ": '" + key + "' " + what);
  }
}
