package dev.splitlearn.crowd;

import dev.splitlearn.core.config.ConfigLiteral;
import dev.splitlearn.crowd.CrowdConfig.DeviceDistributions;
import dev.splitlearn.crowd.CrowdConfig.Partition;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a crowd config literal into a {@link CrowdConfig}, with one-line errors naming source and
 * key.
 */
final class ConfigReader {
  private final ConfigLiteral c;

  ConfigReader(Map<String, Object> literal, String source) {
    this.c = new ConfigLiteral(literal, source);
  }

  CrowdConfig read() {
    c.onlyKeys(CrowdConfig.KEYS.keySet());
    int devices = c.integer("devices", 1000, 1);
    int samples = c.integer("samples-per-device", 60, 1);
    int perRound = c.integer("devices-per-round", 20, 1);
    if (perRound > devices) {
      throw c.error("devices-per-round", "must be <= devices (" + devices + "), got " + perRound);
    }
    Partition partition =
        switch (c.word("partition", "iid")) {
          case "iid" -> Partition.IID;
          case "label-skew" -> Partition.LABEL_SKEW;
          default ->
              throw c.error(
                  "partition", "must be iid or label-skew, got '" + c.get("partition") + "'");
        };
    int classesPerDevice = c.integer("classes-per-device", 2, 1);
    if (partition == Partition.LABEL_SKEW && samples % classesPerDevice != 0) {
      throw c.error(
          "classes-per-device",
          "must divide samples-per-device (" + samples + "), got " + classesPerDevice);
    }
    double lr = c.number("lr", 0.05);
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw c.error("lr", "must be > 0, got " + c.get("lr"));
    }
    double serverGflops = c.number("server-gflops", 100);
    if (!(serverGflops > 0) || Double.isInfinite(serverGflops)) {
      throw c.error("server-gflops", "must be > 0, got " + c.get("server-gflops"));
    }
    Object dir = c.get("data-dir");
    return new CrowdConfig(
        c.word("dataset", "mnist"),
        c.word("model", "mnist-cnn"),
        c.get("cut") != null ? c.word("cut", null) : null,
        dir == null ? null : Path.of(dir.toString()),
        devices,
        samples,
        partition,
        classesPerDevice,
        c.integer("test-samples", 2000, 1),
        c.integer("rounds", 50, 1),
        perRound,
        c.integer("local-epochs", 1, 1),
        c.integer("batch", 20, 1),
        (float) lr,
        c.integer("eval-every", 5, 1),
        c.integer("seed", 1, Long.MIN_VALUE),
        serverGflops * 1e9,
        devices());
  }

  private DeviceDistributions devices() {
    Object d = c.get("device");
    Map<?, ?> m = d == null ? Map.of() : d instanceof Map<?, ?> map ? map : null;
    if (m == null) {
      throw c.error("device", "must be a section of " + CrowdConfig.DEVICE_KEYS + ", got " + d);
    }
    for (Object key : m.keySet()) {
      if (!CrowdConfig.DEVICE_KEYS.contains(String.valueOf(key))) {
        throw c.error("device." + key, "is unknown; known: " + CrowdConfig.DEVICE_KEYS);
      }
    }
    return new DeviceDistributions(
        positive(m, "gflops", new Distribution.LogNormal(2, 0.7)),
        positive(m, "uplink-mbps", new Distribution.LogNormal(5, 0.8)),
        positive(m, "downlink-mbps", new Distribution.LogNormal(20, 0.8)),
        distribution(
            m, "latency-ms", new Distribution.Uniform(20, 150), 0, Double.POSITIVE_INFINITY),
        distribution(m, "dropout", new Distribution.Uniform(0, 0.1), 0, 1));
  }

  private Distribution positive(Map<?, ?> m, String key, Distribution fallback) {
    Distribution d = distribution(m, key, fallback, 0, Double.POSITIVE_INFINITY);
    if (!(d.lowest() > 0) && !(d instanceof Distribution.LogNormal)) {
      throw c.error("device." + key, "must draw values > 0, got " + d.describe());
    }
    return d;
  }

  /** A distribution whose draws must lie in {@code [low, high]}. */
  private Distribution distribution(
      Map<?, ?> m, String key, Distribution fallback, double low, double high) {
    String path = "device." + key;
    Object v = m.get(key);
    Distribution d;
    if (v == null) {
      d = fallback;
    } else if (v instanceof Number || v instanceof String) {
      d = new Distribution.Constant(c.finite(path, v));
    } else if (v instanceof Map<?, ?> spec) {
      d = fromSpec(path, spec);
    } else {
      throw c.error(path, "must be a number or {distribution: ..., ...}, got " + v);
    }
    if (d.lowest() < low || d.highest() > high || Double.isNaN(d.lowest())) {
      throw c.error(path, "must draw values in [" + low + ", " + high + "], got " + d.describe());
    }
    return d;
  }

  private Distribution fromSpec(String path, Map<?, ?> spec) {
    String kind = String.valueOf(spec.get("distribution"));
    List<String> fields =
        switch (kind) {
          case "constant" -> List.of("value");
          case "uniform" -> List.of("min", "max");
          case "lognormal" -> List.of("median", "sigma");
          default ->
              throw c.error(
                  path + ".distribution",
                  "must be constant, uniform or lognormal, got '" + kind + "'");
        };
    Map<String, Double> values = new LinkedHashMap<>();
    for (Object k : spec.keySet()) {
      if (!k.equals("distribution") && !fields.contains(String.valueOf(k))) {
        throw c.error(
            path + "." + k, "is unknown for a " + kind + " distribution; known: " + fields);
      }
    }
    for (String f : fields) {
      if (!spec.containsKey(f)) {
        throw c.error(
            path + "." + f, "is missing (a " + kind + " distribution needs " + fields + ")");
      }
      values.put(f, c.finite(path + "." + f, spec.get(f)));
    }
    return switch (kind) {
      case "constant" -> new Distribution.Constant(values.get("value"));
      case "uniform" -> {
        if (values.get("min") > values.get("max")) {
          throw c.error(
              path + ".min",
              "must be <= max (" + values.get("max") + "), got " + values.get("min"));
        }
        yield new Distribution.Uniform(values.get("min"), values.get("max"));
      }
      default -> {
        if (!(values.get("median") > 0)) {
          throw c.error(path + ".median", "must be > 0, got " + values.get("median"));
        }
        if (!(values.get("sigma") >= 0)) {
          throw c.error(path + ".sigma", "must be >= 0, got " + values.get("sigma"));
        }
        yield new Distribution.LogNormal(values.get("median"), values.get("sigma"));
      }
    };
  }
}
