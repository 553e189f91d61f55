package dev.splitlearn.splithe;

import dev.splitlearn.core.encrypted.ActivationCipher;
import dev.splitlearn.core.encrypted.EncryptedLinear;
import dev.splitlearn.core.encrypted.Encryption;
import dev.splitlearn.core.encrypted.GradientExchange;
import dev.splitlearn.core.encrypted.GradientPrivacy;
import dev.splitlearn.he.ckks.ParameterSets;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.ParametersLiteral;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CKKS encryption of the activations at the cut ({@code --he ckks}).
 *
 * @param parameterSet name of a CKKS parameter set from {@link #PARAMETER_SETS}
 * @param exchange how gradients cross the cut
 * @param privacy what the client adds before values derived from decrypted logits reach the server
 */
public record CkksEncryption(
    String parameterSet, GradientExchange exchange, GradientPrivacy privacy) implements Encryption {
  /**
   * The defaults of {@link GradientPrivacy} for {@code --he ckks}: batches of at least 8, logits
   * flooded with noise of deviation 2^-10 (about 2^5 times the decryption error), no DP noise (it
   * costs accuracy; turn it on with --he-dp-clip and --he-dp-noise). Measured in BENCHMARKS.md.
   */
  public static final GradientPrivacy SAFE = new GradientPrivacy(8, 0, 0, 0x1p-10f);

  /** With the {@link #SAFE} privacy settings. */
  public CkksEncryption(String parameterSet, GradientExchange exchange) {
    this(parameterSet, exchange, SAFE);
  }

  /** The parameter sets offered for encrypted training, by name; the first is the default. */
  public static final Map<String, ParametersLiteral> PARAMETER_SETS = parameterSets();

  public CkksEncryption {
    java.util.Objects.requireNonNull(privacy, "privacy");
    parameterSet = parameterSet.toLowerCase(Locale.ROOT);
    if (!PARAMETER_SETS.containsKey(parameterSet)) {
      throw new IllegalArgumentException(
          "unknown CKKS parameter set '" + parameterSet + "'; known: " + PARAMETER_SETS.keySet());
    }
  }

  /** The default: the smallest set that holds the linear layer, with the aggregate exchange. */
  public static CkksEncryption defaults() {
    return new CkksEncryption(
        PARAMETER_SETS.keySet().iterator().next(), GradientExchange.AGGREGATE);
  }

  /** The parameter literal. */
  public ParametersLiteral literal() {
    return PARAMETER_SETS.get(parameterSet);
  }

  /** Validated parameters (refuses sets above the 128-bit security bound). */
  public Parameters parameters() {
    return Parameters.fromLiteral(literal());
  }

  @Override
  public ActivationCipher newClientCipher() {
    return new CkksActivationCipher(this);
  }

  @Override
  public EncryptedLinear serverLayer(int clientId, byte[] parameters) {
    return CkksLinearLayer.fromSetup(clientId, parameters, parameterSet, literal());
  }

  private static Map<String, ParametersLiteral> parameterSets() {
    Map<String, ParametersLiteral> m = new LinkedHashMap<>();
    m.put("n4096", ParameterSets.SPLIT_N4096_Q45_30);
    m.put("n8192", ParameterSets.SPLIT_N8192_Q45_30_P55);
    return Collections.unmodifiableMap(m);
  }
}
