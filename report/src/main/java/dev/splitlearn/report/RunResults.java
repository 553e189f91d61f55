package dev.splitlearn.report;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a report shows of one training run, read from its {@code results.json}.
 *
 * @param name the run's name in the report (its folder's name)
 * @param folder the run's folder
 * @param dataset data set, model, protocol and cuts (comma separated), as in the run's config
 * @param defenses the defenses the run used ({@code nopeek 1.0}, {@code he ckks}, {@code int8}), or
 *     "none"
 * @param testAccuracy the final test accuracy
 * @param bytesUp bytes client to server, {@code bytesDown} server to client, over the run
 * @param epochs the per-epoch figures in file order (the split run's and any baseline's)
 */
public record RunResults(
    String name,
    Path folder,
    String dataset,
    String model,
    String protocol,
    String cuts,
    String defenses,
    double testAccuracy,
    long bytesUp,
    long bytesDown,
    List<Epoch> epochs) {
  /**
   * One epoch's figures.
   *
   * @param phase {@code split}, or a baseline's ({@code central}, {@code local-N})
   * @param distanceCorrelation dCor(inputs, activations) after the epoch, NaN if not measured
   */
  public record Epoch(
      String phase, int epoch, double trainLoss, double testAccuracy, double distanceCorrelation) {}

  /** The file a run folder holds. */
  public static final String FILE = "results.json";

  /** The last split epoch's dCor, NaN if none was measured. */
  public double lastDistanceCorrelation() {
    double last = Double.NaN;
    for (Epoch e : epochs) {
      if (e.phase().equals("split") && Double.isFinite(e.distanceCorrelation())) {
        last = e.distanceCorrelation();
      }
    }
    return last;
  }

  /**
   * Reads {@code folder/results.json}.
   *
   * @throws IOException if it cannot be read or is not a splitlearn results.json (no {@code
   *     test_accuracy} or {@code config})
   */
  public static RunResults read(Path folder, String name) throws IOException {
    Path file = folder.resolve(FILE);
    JsonNode r = Json.read(file);
    JsonNode config = r.path("config");
    if (!r.path("test_accuracy").isNumber() || !config.isObject()) {
      throw new IOException(file + ": not a splitlearn results.json (no test_accuracy or config)");
    }
    List<String> cuts = new ArrayList<>();
    config.path("cuts").forEach(c -> cuts.add(c.asText()));
    List<String> defenses = new ArrayList<>();
    if (config.path("nopeek").asDouble(0) > 0) {
      defenses.add("nopeek " + config.path("nopeek").asDouble());
    }
    if (!config.path("he").asText("none").equals("none")) {
      defenses.add("he " + config.path("he").asText());
    }
    String compression = config.path("compression").asText("float32");
    if (!compression.equals("float32")) {
      defenses.add(compression);
    }
    List<Epoch> epochs = new ArrayList<>();
    for (JsonNode e : r.path("per_epoch")) {
      epochs.add(
          new Epoch(
              e.path("phase").asText("split"),
              e.path("epoch").asInt(),
              Json.number(e, "trainLoss"),
              Json.number(e, "testAccuracy"),
              Json.number(e, "distanceCorrelation")));
    }
    return new RunResults(
        name,
        folder,
        config.path("dataset").asText("?"),
        config.path("model").asText("?"),
        config.path("protocol").asText("?"),
        String.join(",", cuts),
        defenses.isEmpty() ? "none" : String.join(", ", defenses),
        r.get("test_accuracy").asDouble(),
        r.path("bytes_client_to_server").asLong(),
        r.path("bytes_server_to_client").asLong(),
        List.copyOf(epochs));
  }

  /** JSON reading shared by the run and attack records. */
  static final class Json {
    private static final ObjectMapper MAPPER =
        JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private Json() {}

    static JsonNode read(Path file) throws IOException {
      try {
        return MAPPER.readTree(file.toFile());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IOException(file + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
      }
    }

    /** The number at {@code key}, NaN if absent, null or not a number. */
    static double number(JsonNode node, String key) {
      JsonNode v = node.get(key);
      return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
    }
  }
}
