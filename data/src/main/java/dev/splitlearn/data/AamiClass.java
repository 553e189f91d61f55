package dev.splitlearn.data;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The five heartbeat classes of ANSI/AAMI EC57, as used with the MIT-BIH Arrhythmia Database. The
 * ordinal is the label of {@link MitBih} data sets.
 */
public enum AamiClass {
  /** Normal and bundle-branch-block beats, escape beats: N, L, R, e, j. */
  N(Set.of("N", "L", "R", "e", "j")),
  /** Supraventricular ectopic beats: A, a, J, S. */
  S(Set.of("A", "a", "J", "S")),
  /** Ventricular ectopic beats: V, E. */
  V(Set.of("V", "E")),
  /** Fusion of ventricular and normal beats: F. */
  F(Set.of("F")),
  /** Unknown: paced, fusion of paced and normal, unclassifiable: /, f, Q. */
  Q(Set.of("/", "f", "Q"));

  /** Class names in label order: N, S, V, F, Q. */
  public static final List<String> NAMES = List.of("N", "S", "V", "F", "Q");

  private static final AamiClass[] BY_CODE = new AamiClass[64];

  static {
    for (AamiClass c : values()) {
      for (String s : c.symbols) {
        BY_CODE[dev.splitlearn.data.wfdb.Annotations.code(s)] = c;
      }
    }
  }

  private final Set<String> symbols;

  AamiClass(Set<String> symbols) {
    this.symbols = symbols;
  }

  /**
   * @return the MIT-BIH annotation symbols mapped to this class
   */
  public Set<String> symbols() {
    return symbols;
  }

  /**
   * @param symbol an MIT-BIH annotation symbol
   * @return its class, or empty if the symbol is not one of the 15 mapped beat symbols
   */
  public static Optional<AamiClass> ofSymbol(String symbol) {
    for (AamiClass c : values()) {
      if (c.symbols.contains(symbol)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /**
   * @param code a WFDB annotation code
   * @return its class, or null if the code is not one of the 15 mapped beat codes
   */
  public static AamiClass ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
