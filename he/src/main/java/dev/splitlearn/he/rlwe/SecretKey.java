package dev.splitlearn.he.rlwe;

import dev.splitlearn.he.ring.Poly;

/**
 * The secret key s, a ternary polynomial kept in NTT form over all rows (Q and P). Immutable; never
 * serialized by this library. Keep it on the client.
 */
public final class SecretKey {

  private final Parameters params;
  private final Poly value;

  SecretKey(Parameters params, Poly value) {
    this.params = params;
    this.value = value;
  }

  /**
   * @return the parameters
   */
  public Parameters params() {
    return params;
  }

  /** The NTT-form polynomial over Q and P; callers in this package must not modify it. */
  Poly value() {
    return value;
  }
}
