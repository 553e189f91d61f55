package dev.splitlearn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.splitlearn.core.config.ConfigLiteral;
import dev.splitlearn.data.DataSets;
import dev.splitlearn.models.Multitask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A multi-task run as {@code configs/multitask.yaml} describes it: the clients (a name and a data
 * set each) and how all of them train. Validated once, by {@link #read}, with one-line errors that
 * name the file and the key; immutable.
 *
 * @param clients the clients, in id order
 * @param embedding size E of the cut vector every extractor produces and the cloud model takes
 * @param cloudHidden width of the shared cloud model's hidden layer
 * @param epochs passes over every client's data
 * @param batch samples per step
 * @param optimizer {@code adam} or {@code sgd}
 * @param lr learning rate of every party
 * @param seed initial weights, batch order and the limits' random subsets
 * @param limit training samples per client (a seeded random subset), 0 for all
 * @param testLimit test samples per client (a seeded random subset), 0 for all
 * @param dataDir where the data sets lie, or null for the usual places
 */
record MultitaskConfig(
    List<Client> clients,
    int embedding,
    int cloudHidden,
    int epochs,
    int batch,
    String optimizer,
    float lr,
    long seed,
    int limit,
    int testLimit,
    Path dataDir) {

  /**
   * One client of the run.
   *
   * @param name its name in results and tables (unique), e.g. {@code digits}
   * @param dataset the data set it holds, e.g. {@code mnist}
   */
  record Client(String name, String dataset) {}

  /** Top-level keys with their defaults and meaning. */
  static final Map<String, String> KEYS = keys();

  /** Keys of one entry of {@code clients}. */
  static final List<String> CLIENT_KEYS = List.of("name", "dataset");

  private static Map<String, String> keys() {
    Map<String, String> k = new LinkedHashMap<>();
    k.put("clients", "(required) list of {name, dataset}: one client per task");
    k.put("embedding", "256: size E of the cut vector");
    k.put("cloud-hidden", "512: width of the shared cloud model's hidden layer");
    k.put("epochs", "3: passes over every client's data");
    k.put("batch", "64: samples per step");
    k.put("optimizer", "adam: adam or sgd");
    k.put("lr", "0.001: learning rate");
    k.put("seed", "1: weights, batch order, subsets");
    k.put("limit", "0: training samples per client, 0 for all");
    k.put("test-limit", "0: test samples per client, 0 for all");
    k.put("data-dir", "the usual places: directory of the data sets");
    return k;
  }

  /**
   * Reads and validates {@code file} (YAML or JSON); {@code overrides} (command-line flags, same
   * keys) win.
   *
   * @throws IOException if the file cannot be read or parsed
   * @throws IllegalArgumentException naming the file and the key of a bad value
   */
  static MultitaskConfig read(Path file, Map<String, Object> overrides) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("--config " + file + ": no such file");
    }
    Object raw;
    try {
      raw = new ObjectMapper(new YAMLFactory()).readValue(Files.readAllBytes(file), Object.class);
    } catch (IOException e) {
      throw new IOException(
          file + ": not a readable YAML/JSON config (" + Main.oneLine(e).split(" at \\[")[0] + ")",
          e);
    }
    if (raw != null && !(raw instanceof Map)) {
      throw new IllegalArgumentException(
          file + ": must be a map of " + KEYS.keySet() + ", got " + raw);
    }
    Map<String, Object> literal = new LinkedHashMap<>();
    if (raw != null) {
      ((Map<?, ?>) raw).forEach((k, v) -> literal.put(String.valueOf(k), v));
    }
    literal.putAll(overrides);
    return new Reader(literal, file.toString()).read();
  }

  /** A description of the config, for results.json. */
  Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Map<String, Object>> cs = new ArrayList<>();
    clients.forEach(
        c -> cs.add(new LinkedHashMap<>(Map.of("name", c.name(), "dataset", c.dataset()))));
    m.put("clients", cs);
    m.put("embedding", embedding);
    m.put("cloud-hidden", cloudHidden);
    m.put("epochs", epochs);
    m.put("batch", batch);
    m.put("optimizer", optimizer);
    m.put("lr", lr);
    m.put("seed", seed);
    m.put("limit", limit);
    m.put("test-limit", testLimit);
    m.put("data-dir", dataDir == null ? null : dataDir.toString());
    return m;
  }

  /** Turns the literal into a config, one key at a time. */
  private static final class Reader {
    private final ConfigLiteral c;

    Reader(Map<String, Object> literal, String source) {
      this.c = new ConfigLiteral(literal, source);
    }

    MultitaskConfig read() {
      c.onlyKeys(KEYS.keySet());
      String optimizer = c.word("optimizer", "adam");
      if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
        throw c.error("optimizer", "must be adam or sgd, got '" + optimizer + "'");
      }
      double lr = c.number("lr", 0.001);
      if (!(lr > 0) || Double.isInfinite(lr)) {
        throw c.error("lr", "must be > 0, got " + c.get("lr"));
      }
      Object dir = c.get("data-dir");
      return new MultitaskConfig(
          clients(),
          c.integer("embedding", 256, 1),
          c.integer("cloud-hidden", Multitask.DEFAULT_CLOUD_HIDDEN, 1),
          c.integer("epochs", 3, 1),
          c.integer("batch", 64, 1),
          optimizer,
          (float) lr,
          c.integer("seed", 1, Integer.MIN_VALUE),
          c.integer("limit", 0, 0),
          c.integer("test-limit", 0, 0),
          dir == null ? null : Path.of(dir.toString()));
    }

    private List<Client> clients() {
      Object v = c.get("clients");
      if (v == null) {
        throw c.error("clients", "is missing: list one {name, dataset} per client");
      }
      if (!(v instanceof List<?> list) || list.isEmpty()) {
        throw c.error("clients", "must be a non-empty list of {name, dataset}, got " + v);
      }
      List<Client> out = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        String at = "clients[" + i + "]";
        if (!(list.get(i) instanceof Map<?, ?> m)) {
          throw c.error(at, "must be a map of " + CLIENT_KEYS + ", got " + list.get(i));
        }
        for (Object k : m.keySet()) {
          if (!CLIENT_KEYS.contains(String.valueOf(k))) {
            throw c.error(at + "." + k, "is unknown; known: " + CLIENT_KEYS);
          }
        }
        Object ds = m.get("dataset");
        if (ds == null || ds instanceof Map || ds instanceof List || ds.toString().isBlank()) {
          throw c.error(at + ".dataset", "must name a data set " + DataSets.NAMES + ", got " + ds);
        }
        String dataset = ds.toString().trim();
        if (!DataSets.NAMES.contains(dataset)) {
          throw c.error(
              at + ".dataset", "must be one of " + DataSets.NAMES + ", got '" + dataset + "'");
        }
        Object n = m.get("name");
        String name = n == null ? dataset : n.toString().trim();
        if (name.isEmpty() || n instanceof Map || n instanceof List) {
          throw c.error(at + ".name", "must be a word, got " + n);
        }
        if (!names.add(name)) {
          throw c.error(at + ".name", "must be unique, '" + name + "' is taken");
        }
        out.add(new Client(name, dataset));
      }
      return List.copyOf(out);
    }
  }
}
