package dev.splitlearn.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.splitlearn.models.planner.DeviceChain;
import dev.splitlearn.models.planner.DeviceChain.Device;
import dev.splitlearn.models.planner.DeviceChain.Link;
import dev.splitlearn.models.planner.Units;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code plan --devices FILE}: a chain of devices in YAML (configs/devices-chain.yaml describes
 * every key).
 *
 * <pre>
 * devices:            # the data holder first, the server last
 *   - {name: watch, gflops: 0.5, memory-mb: 2, max-mflops: 50}
 *   - {name: phone, gflops: 5, memory-mb: 64}
 *   - {name: server, gflops: 500}
 * links:              # link i joins devices i and i + 1
 *   - {bandwidth: 2mbit, latency: 10ms}
 *   - {bandwidth: 10mbit, latency: 20ms}
 * </pre>
 *
 * Every device needs {@code gflops}; {@code memory-mb} is required but for the last (the server),
 * where it is optional; {@code max-mflops} (training MFLOPs per sample) is optional. Errors name
 * the file and key.
 */
final class DeviceChainFile {
  private static final Set<String> TOP = Set.of("devices", "links");
  private static final Set<String> DEVICE = Set.of("name", "gflops", "memory-mb", "max-mflops");
  private static final Set<String> LINK = Set.of("bandwidth", "latency");

  private DeviceChainFile() {}

  /**
   * Reads and validates a chain.
   *
   * @throws IOException if the file cannot be read or is not YAML
   * @throws IllegalArgumentException naming {@code --devices FILE} and the key at fault
   */
  static DeviceChain read(Path file) throws IOException {
    String where = "--devices " + file;
    if (!Files.isRegularFile(file)) {
      throw new IOException(where + ": no such file");
    }
    Object raw;
    try {
      raw = new ObjectMapper(new YAMLFactory()).readValue(Files.readAllBytes(file), Object.class);
    } catch (JacksonException e) {
      throw new IOException(where + ": not YAML (" + e.getOriginalMessage() + ")");
    }
    Map<?, ?> top = map(raw, where, "the file", TOP);
    List<?> devices = list(top.get("devices"), where, "devices");
    List<?> links = list(top.get("links"), where, "links");
    List<Device> ds = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      String key = "devices[" + i + "]";
      Map<?, ?> d = map(devices.get(i), where, key, DEVICE);
      boolean server = i == devices.size() - 1;
      String name =
          d.containsKey("name") ? String.valueOf(d.get("name")) : server ? "server" : "device" + i;
      double gflops = number(d, "gflops", where, key);
      double memory =
          server && !d.containsKey("memory-mb")
              ? Double.POSITIVE_INFINITY
              : number(d, "memory-mb", where, key) * 1024 * 1024;
      double mflops =
          d.containsKey("max-mflops")
              ? number(d, "max-mflops", where, key) * 1e6
              : Double.POSITIVE_INFINITY;
      ds.add(new Device(name, gflops * 1e9, memory, mflops));
    }
    if (ds.size() < 2) {
      throw new IllegalArgumentException(
          where
              + ": devices must list at least two (the data holder first, the "
              + "server last), got "
              + ds.size());
    }
    if (links.size() != ds.size() - 1) {
      throw new IllegalArgumentException(
          where
              + ": links must list "
              + (ds.size() - 1)
              + " (one between each pair "
              + "of neighbouring devices), got "
              + links.size());
    }
    List<Link> ls = new ArrayList<>();
    for (int i = 0; i < links.size(); i++) {
      String key = "links[" + i + "]";
      Map<?, ?> l = map(links.get(i), where, key, LINK);
      for (String k : LINK) {
        if (!l.containsKey(k)) {
          throw new IllegalArgumentException(where + ": " + key + "." + k + " is missing");
        }
      }
      ls.add(
          new Link(
              Units.bitsPerSecond(
                  where + ": " + key + ".bandwidth", String.valueOf(l.get("bandwidth"))),
              Units.seconds(where + ": " + key + ".latency", String.valueOf(l.get("latency")))));
    }
    return new DeviceChain(ds, ls);
  }

  private static Map<?, ?> map(Object o, String where, String key, Set<String> known) {
    if (!(o instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          where + ": " + key + " must be a map of " + known + ", got " + o);
    }
    for (Object k : m.keySet()) {
      if (!known.contains(String.valueOf(k))) {
        throw new IllegalArgumentException(
            where + ": " + key + "." + k + " is unknown; known: " + known);
      }
    }
    return m;
  }

  private static List<?> list(Object o, String where, String key) {
    if (!(o instanceof List<?> l)) {
      throw new IllegalArgumentException(where + ": " + key + " must be a list, got " + o);
    }
    return l;
  }

  private static double number(Map<?, ?> m, String name, String where, String key) {
    Object v = m.get(name);
    if (v == null) {
      throw new IllegalArgumentException(where + ": " + key + "." + name + " is missing");
    }
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue()) || !(n.doubleValue() > 0)) {
      throw new IllegalArgumentException(
          where + ": " + key + "." + name + " must be a number > 0, got " + v);
    }
    return n.doubleValue();
  }
}
