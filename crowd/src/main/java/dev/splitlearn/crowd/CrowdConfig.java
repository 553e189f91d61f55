package dev.splitlearn.crowd;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A crowd simulation, as a config file describes it (YAML or JSON; every key is optional and listed
 * with its default in {@link #KEYS} and in {@code configs/crowd-mnist.yaml}). Validated once, by
 * {@link #parse}; immutable.
 *
 * @param dataset data set name ({@code mnist}, {@code fashion-mnist}, ...)
 * @param model zoo model name
 * @param cut the split point (vanilla split: the device runs the stages up to and including it), or
 *     null for the model's default vanilla cut
 * @param dataDir where the data set lies, or null for the usual places
 * @param devices number of simulated devices
 * @param samplesPerDevice training samples each device holds
 * @param partition how samples are dealt to devices
 * @param classesPerDevice label-skew partition: distinct labels per device
 * @param testSamples test samples every evaluation uses (the first ones of the test set)
 * @param rounds training rounds of each schedule
 * @param devicesPerRound devices selected per round (the same ones for both schedules)
 * @param localEpochs passes of a selected device over its shard per round (both schedules)
 * @param batch samples per local step
 * @param lr SGD learning rate (SGD without momentum: no optimizer state to carry between devices)
 * @param evalEvery rounds between two evaluations of the test accuracy
 * @param seed fixes the devices, shards, selections, dropouts, data order and initial weights
 * @param serverFlops the server's compute speed in FLOP/s (split schedule)
 * @param device distributions of the device properties
 */
public record CrowdConfig(
    String dataset,
    String model,
    String cut,
    Path dataDir,
    int devices,
    int samplesPerDevice,
    Partition partition,
    int classesPerDevice,
    int testSamples,
    int rounds,
    int devicesPerRound,
    int localEpochs,
    int batch,
    float lr,
    int evalEvery,
    long seed,
    double serverFlops,
    DeviceDistributions device) {

  /** How training samples are dealt to devices. */
  public enum Partition {
    /** Shuffled, {@code samples-per-device} to each device. */
    IID,
    /**
     * Sorted by label and cut into shards of one label; each device gets {@code classes-per-device}
     * shards.
     */
    LABEL_SKEW;

    /** The config spelling. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * The distributions device properties are drawn from, one draw per device and property.
   *
   * @param gflops compute speed, GFLOP/s
   * @param uplinkMbps device-to-server bandwidth, Mbit/s
   * @param downlinkMbps server-to-device bandwidth, Mbit/s
   * @param latencyMs one-way latency per transfer, ms
   * @param dropout probability of leaving during a round, in [0, 1]
   */
  public record DeviceDistributions(
      Distribution gflops,
      Distribution uplinkMbps,
      Distribution downlinkMbps,
      Distribution latencyMs,
      Distribution dropout) {}

  /**
   * Every key with its default and meaning (the default {@code null} means "see the description").
   */
  public static final Map<String, String> KEYS = keys();

  private static Map<String, String> keys() {
    Map<String, String> k = new LinkedHashMap<>();
    k.put("dataset", "mnist: data set name");
    k.put("model", "mnist-cnn: zoo model");
    k.put(
        "cut",
        "the model's vanilla default: split point, the device runs the stages up to and including it");
    k.put("data-dir", "the usual places: directory of the data set");
    k.put("devices", "1000: simulated devices");
    k.put("samples-per-device", "60: training samples per device");
    k.put("partition", "iid: iid or label-skew");
    k.put("classes-per-device", "2: label-skew only: labels per device");
    k.put("test-samples", "2000: test samples per evaluation");
    k.put("rounds", "50: rounds per schedule");
    k.put("devices-per-round", "20: devices selected per round");
    k.put("local-epochs", "1: passes over its shard per selected device and round");
    k.put("batch", "20: samples per local step");
    k.put("lr", "0.05: SGD learning rate");
    k.put("eval-every", "5: rounds between evaluations");
    k.put("seed", "1: seed of everything");
    k.put("server-gflops", "100: server speed, GFLOP/s");
    k.put("device", "distributions of gflops, uplink-mbps, downlink-mbps, latency-ms, dropout");
    return java.util.Collections.unmodifiableMap(k);
  }

  /** Keys of the {@code device} section. */
  public static final java.util.List<String> DEVICE_KEYS =
      java.util.List.of("gflops", "uplink-mbps", "downlink-mbps", "latency-ms", "dropout");

  /**
   * Reads and validates a config file.
   *
   * @throws IOException if the file cannot be read or is not YAML/JSON (the message names the file)
   * @throws IllegalArgumentException if a key is unknown or a value invalid (one line naming file
   *     and key)
   */
  public static CrowdConfig read(Path file, Map<String, Object> overrides) throws IOException {
    Map<String, Object> raw;
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> m =
          new ObjectMapper(new YAMLFactory()).readValue(Files.readAllBytes(file), Map.class);
      raw = m == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m);
    } catch (IOException e) {
      String why = String.valueOf(e.getMessage()).split("\n")[0].split(" at \\[")[0];
      throw new IOException(file + ": not a readable YAML/JSON crowd config (" + why + ")", e);
    }
    raw.putAll(overrides);
    return parse(raw, file.toString());
  }

  /**
   * Validates a config literal (the parsed YAML map).
   *
   * @param source names the config in error messages, e.g. its file
   * @throws IllegalArgumentException naming {@code source} and the key at fault
   */
  public static CrowdConfig parse(Map<String, Object> literal, String source) {
    return new ConfigReader(literal, source).read();
  }

  /** The config as it ran, for results.json (the same keys as the file). */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", dataset);
    m.put("model", model);
    m.put("cut", cut);
    m.put("data-dir", dataDir == null ? null : dataDir.toString());
    m.put("devices", devices);
    m.put("samples-per-device", samplesPerDevice);
    m.put("partition", partition.configName());
    m.put("classes-per-device", classesPerDevice);
    m.put("test-samples", testSamples);
    m.put("rounds", rounds);
    m.put("devices-per-round", devicesPerRound);
    m.put("local-epochs", localEpochs);
    m.put("batch", batch);
    m.put("lr", lr);
    m.put("eval-every", evalEvery);
    m.put("seed", seed);
    m.put("server-gflops", serverFlops / 1e9);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("gflops", device.gflops().describe());
    d.put("uplink-mbps", device.uplinkMbps().describe());
    d.put("downlink-mbps", device.downlinkMbps().describe());
    d.put("latency-ms", device.latencyMs().describe());
    d.put("dropout", device.dropout().describe());
    m.put("device", d);
    return m;
  }
}
