package dev.splitlearn.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitlearn.core.defense.AdditiveNoise;
import dev.splitlearn.core.defense.ClientDefenses;
import dev.splitlearn.core.defense.Defenses;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-client defenses, {@code client-defenses} in a config file: a list of entries, each naming a
 * client by {@code id} and setting any of the run's defense options for it, by the flag's name
 * without dashes. A key an entry leaves out takes the run's flag (so {@code top-k: 0} or {@code
 * noise: none} switches a run-wide defense off for one client); a client without an entry takes the
 * run's flags; the noise seed is the run's (each client draws its own stream from it).
 *
 * <pre>
 * client-defenses:
 *   - id: 0
 *     nopeek: 1
 *   - id: 1
 *     noise: gaussian:0.5
 *     top-k: 0.1
 * </pre>
 *
 * On the command line the same list travels as JSON ({@code --client-defenses '[{"id":0,...}]'}).
 */
final class ClientDefenseOptions {
  /** The keys an entry may hold. */
  static final List<String> KEYS =
      List.of("id", "nopeek", "top-k", "dp-clip", "dp-noise", "dp-delta", "noise", "quantize");

  private ClientDefenseOptions() {}

  /**
   * The entries of {@code json} (a JSON list) over the run's {@code base} defenses and NoPeek
   * weight.
   *
   * @throws IllegalArgumentException naming {@code client-defenses}, the entry and the key at fault
   */
  static List<ClientDefenses> parse(String json, int clients, float noPeek, Defenses base) {
    Object raw;
    try {
      raw = new ObjectMapper().readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "client-defenses must be a list of {id: N, option: value} entries, got '" + json + "'");
    }
    if (!(raw instanceof List<?> entries)) {
      throw new IllegalArgumentException(
          "client-defenses must be a list of {id: N, option: value} entries, got " + json);
    }
    List<ClientDefenses> out = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = "client-defenses[" + i + "]";
      if (!(entries.get(i) instanceof Map<?, ?> entry)) {
        throw new IllegalArgumentException(
            where + " must be a map of option: value, got " + entries.get(i));
      }
      for (Object key : entry.keySet()) {
        if (!KEYS.contains(String.valueOf(key))) {
          throw new IllegalArgumentException(where + ": unknown key '" + key + "'; known: " + KEYS);
        }
      }
      if (!entry.containsKey("id")) {
        throw new IllegalArgumentException(
            where + ": key 'id' (the client, 0.." + (clients - 1) + ") is missing");
      }
      double idValue = number(entry, "id", where, 0);
      int id = (int) idValue;
      if (id != idValue || id < 0 || id >= clients) {
        throw new IllegalArgumentException(
            where
                + ".id must be a client id in 0.."
                + (clients - 1)
                + " (--clients "
                + clients
                + "), got "
                + entry.get("id"));
      }
      if (!seen.add(id)) {
        throw new IllegalArgumentException(where + ".id: client " + id + " has an entry already");
      }
      out.add(entry(entry, id, where, noPeek, base));
    }
    return out;
  }

  private static ClientDefenses entry(
      Map<?, ?> e, int id, String where, float noPeek, Defenses base) {
    try {
      double quantize = number(e, "quantize", where, base.quantizeBits());
      if (quantize != Math.rint(quantize)) {
        throw new IllegalArgumentException(
            "--quantize must be a number of bits in 1..8, got " + quantize);
      }
      AdditiveNoise noise = base.noise();
      if (e.containsKey("noise")) {
        String n = String.valueOf(e.get("noise")).trim();
        noise = n.equalsIgnoreCase("none") ? null : AdditiveNoise.parse(n);
      }
      Defenses d =
          new Defenses(
              number(e, "top-k", where, base.topK()),
              number(e, "dp-clip", where, base.dpClip()),
              number(e, "dp-noise", where, base.dpNoise()),
              number(e, "dp-delta", where, base.dpDelta()),
              noise,
              (int) quantize,
              base.noiseSeed(),
              base.noiseSeedSource());
      return new ClientDefenses(id, (float) number(e, "nopeek", where, noPeek), d);
    } catch (IllegalArgumentException x) {
      String m = x.getMessage();
      throw new IllegalArgumentException(
          m.startsWith(where) ? m : where + " (client " + id + "): " + m);
    }
  }

  private static double number(Map<?, ?> e, String key, String where, double otherwise) {
    Object v = e.get(key);
    if (v == null) {
      return otherwise;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(v).trim());
    } catch (NumberFormatException x) {
      throw new IllegalArgumentException(where + "." + key + " must be a number, got '" + v + "'");
    }
  }
}
