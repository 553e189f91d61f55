package dev.splitlearn.he.rlwe;

import dev.splitlearn.he.ring.Poly;
import dev.splitlearn.he.ring.Prng;
import dev.splitlearn.he.ring.Ring;
import dev.splitlearn.he.ring.Samplers;

/**
 * Expansion of public uniform polynomials from a 32-byte seed, one AES-CTR stream per (domain,
 * row).
 */
final class Uniform {

  private Uniform() {}

  /**
   * Fills the given rows of {@code out} with values uniform modulo their prime, considered in NTT
   * form. Row {@code r} uses the stream of domain {@code (domain << 16) | r}, so a prefix of rows
   * does not depend on how many rows are expanded.
   */
  static void expand(Ring ring, byte[] seed, long domain, int[] rows, Poly out) {
    for (int r : rows) {
      Prng prng = new Prng(seed, (domain << 16) | r);
      Samplers.uniform(prng, ring.modulus(r), out.coeffs()[r]);
    }
  }
}
