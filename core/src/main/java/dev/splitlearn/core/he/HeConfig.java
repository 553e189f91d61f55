package dev.splitlearn.core.he;

import dev.splitlearn.he.ckks.ParameterSets;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.ParametersLiteral;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Encrypted training settings.
 *
 * @param parameterSet name of a CKKS parameter set from {@link #PARAMETER_SETS}
 * @param exchange how gradients cross the cut
 */
public record HeConfig(String parameterSet, GradientExchange exchange) {
  /** The parameter sets offered for encrypted training, by name; the first is the default. */
  public static final Map<String, ParametersLiteral> PARAMETER_SETS = parameterSets();

  public HeConfig {
    parameterSet = parameterSet.toLowerCase(Locale.ROOT);
    if (!PARAMETER_SETS.containsKey(parameterSet)) {
      throw new IllegalArgumentException("unknown CKKS parameter set '" + parameterSet + "'; known: "
          + PARAMETER_SETS.keySet());
    }
  }

  /** The default: the smallest set that holds the linear layer, with the aggregate exchange. */
  public static HeConfig defaults() {
    return new HeConfig(PARAMETER_SETS.keySet().iterator().next(), GradientExchange.AGGREGATE);
  }

  /** The parameter literal. */
  public ParametersLiteral literal() {
    return PARAMETER_SETS.get(parameterSet);
  }

  /** Validated parameters (refuses sets above the 128-bit security bound). */
  public Parameters parameters() {
    return Parameters.fromLiteral(literal());
  }

  private static Map<String, ParametersLiteral> parameterSets() {
    Map<String, ParametersLiteral> m = new LinkedHashMap<>();
    m.put("n4096", ParameterSets.SPLIT_N4096_Q45_30);
    m.put("n8192", ParameterSets.SPLIT_N8192_Q45_30_P55);
    return java.util.Collections.unmodifiableMap(m);
  }
}
