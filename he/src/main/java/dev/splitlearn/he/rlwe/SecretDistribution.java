package dev.splitlearn.he.rlwe;

/** Distribution of the secret key coefficients. */
public enum SecretDistribution {
  /**
   * Each coefficient uniform in {-1, 0, 1}; the distribution assumed by the HE-standard security
   * table that {@link Parameters#fromLiteral} checks against.
   */
  UNIFORM_TERNARY
}
