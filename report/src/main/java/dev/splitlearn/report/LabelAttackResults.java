package dev.splitlearn.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A label-inference attack read from its {@code attack.json} ({@code splitlearn attack --kind
 * label}): what it found, one line per kind of evidence the tap held.
 *
 * @param name the attack's name on the page
 * @param run the run it attacked, as its attack.json names it, or null
 * @param findings one line per kind of evidence, e.g. a gradient's direction accuracy against
 *     chance
 */
public record LabelAttackResults(String name, String run, List<String> findings) {
  /** The kind label attacks write into attack.json. */
  static final String KIND = "label inference";

  /** Whether {@code attack} (an attack.json) is a label-inference attack. */
  static boolean is(JsonNode attack) {
    return KIND.equals(attack.path("kind").asText());
  }

  /** Reads the findings of {@code attack}, the attack.json in {@code folder}. */
  static LabelAttackResults of(JsonNode attack, Path folder, String name) throws IOException {
    JsonNode r = attack.path("report");
    if (r.isMissingNode()) {
      throw new IOException(
          folder.resolve(AttackResults.FILE) + ": a label attack without its report");
    }
    List<String> f = new ArrayList<>();
    JsonNode clear = r.path("labelsInClear");
    if (clear.isObject()) {
      f.add(
          String.format(
              Locale.ROOT,
              "labels sent in clear: accuracy %.3f over %d samples",
              clear.path("accuracy").asDouble(),
              clear.path("samples").asLong()));
    }
    for (JsonNode g : r.path("gradients")) {
      JsonNode best = g.path("scores").path(0);
      f.add(
          String.format(
              Locale.ROOT,
              "%s: %s accuracy %.3f (chance %.3f)%s",
              g.path("evidence").asText(),
              best.path("method").asText("direction"),
              best.path("accuracy").asDouble(),
              best.path("chance").asDouble(),
              best.path("macroAuc").isNumber()
                  ? String.format(Locale.ROOT, ", macro AUC %.3f", best.path("macroAuc").asDouble())
                  : ""));
    }
    JsonNode bias = r.path("biasCounts");
    if (bias.isObject()) {
      f.add(
          String.format(
              Locale.ROOT,
              "bias gradient (CKKS): label-histogram error %.3f (class prior %.3f), exact in "
                  + "%.1f%% of %d steps%s",
              bias.path("meanError").asDouble(),
              bias.path("priorMeanError").asDouble(),
              100 * bias.path("exactFraction").asDouble(),
              bias.path("steps").asLong(),
              bias.path("batchOneAccuracy").isNumber()
                  ? String.format(
                      Locale.ROOT,
                      "; batch-1 label accuracy %.3f",
                      bias.path("batchOneAccuracy").asDouble())
                  : ""));
    }
    if (f.isEmpty()) {
      f.add("nothing label-bearing in the tap");
    }
    return new LabelAttackResults(
        name, attack.hasNonNull("run") ? attack.get("run").asText() : null, List.copyOf(f));
  }
}
