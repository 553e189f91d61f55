package dev.splitlearn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from a YAML or JSON file whose keys are option names without dashes ({@code
 * epochs: 3}, {@code data-dir: /data}). Flags on the command line still win. A list becomes a
 * comma-separated value, except {@code client-defenses}, a list of maps, which is handed to its
 * option as JSON.
 */
final class ConfigFileDefaults implements IDefaultValueProvider {
  private final Map<String, String> values = new LinkedHashMap<>();

  ConfigFileDefaults(Path file, java.util.Set<String> knownKeys) {
    Map<?, ?> raw;
    try {
      raw = new ObjectMapper(new YAMLFactory()).readValue(Files.readAllBytes(file), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(
          new IOException(
              file
                  + ": not a readable YAML/JSON config ("
                  + Main.oneLine(e).split(" at \\[")[0]
                  + ")",
              e));
    }
    if (raw == null) {
      return;
    }
    for (Map.Entry<?, ?> e : raw.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!knownKeys.contains(key)) {
        throw new IllegalArgumentException(
            file + ": unknown key '" + key + "'; known: " + knownKeys);
      }
      Object v = e.getValue();
      if (key.equals(
          "client-defenses")) { // structured: handed on as JSON, parsed and checked by the option
        try {
          values.put(key, new ObjectMapper().writeValueAsString(v));
        } catch (IOException x) {
          throw new IllegalArgumentException(
              file + ": client-defenses cannot be read (" + x.getMessage() + ")");
        }
        continue;
      }
      values.put(
          key, v instanceof Iterable<?> it ? String.join(",", toStrings(it)) : String.valueOf(v));
    }
  }

  private static java.util.List<String> toStrings(Iterable<?> it) {
    java.util.List<String> out = new java.util.ArrayList<>();
    it.forEach(o -> out.add(String.valueOf(o)));
    return out;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (arg instanceof OptionSpec o) {
      String v = values.get(o.longestName().replaceFirst("^--", ""));
      if (v != null) {
        return v;
      }
    }
    return arg.defaultValue();
  }
}
