package dev.splitlearn.he.rlwe;

import dev.splitlearn.he.ring.Modulus;
import dev.splitlearn.he.ring.Ring;
import dev.splitlearn.he.ring.SubRing;

/**
 * The one-ciphertext key recovery, written once for the attack tests: a ciphertext {@code (c0, c1)}
 * decrypts to {@code c0 + c1 s = m + e}, so whoever knows the integer polynomial {@code m + e} gets
 * {@code s = (m + e - c0) / c1}, computed here modulo {@code q_0} in the NTT domain, where the
 * division is one modular inverse per evaluation ({@code c1} is uniform, so an evaluation is zero
 * with probability {@code N / q_0}, about 2^-33 at {@code q_0 ~ 2^45}).
 *
 * <p>The guess is exact only if the attacker knows {@code m + e} exactly: a known plaintext with a
 * zero error, or a decryption the key holder hands back at full precision (IND-CPA-D, Li and
 * Micciancio 2021). Any coefficient off by one changes every NTT evaluation, and the candidate is
 * then uniform modulo {@code q_0}: it matches the key in about {@code N / q_0} coefficients, i.e.
 * none.
 *
 * <p>Test code: the score reads the true secret key, which this package may see.
 */
public final class KeyRecovery {

  private KeyRecovery() {}

  /**
   * How a candidate key compares with the true one.
   *
   * @param n ring degree N
   * @param matches coefficients equal to the true key's (both centered modulo {@code q_0})
   * @param ternary whether every candidate coefficient is in {-1, 0, 1}
   * @param maxCoeff largest |candidate coefficient| (centered), about {@code q_0 / 2} for a uniform
   *     one
   */
  public record Score(int n, int matches, boolean ternary, long maxCoeff) {

    /**
     * @return whether the candidate is the secret key (modulo {@code q_0}, which fixes a ternary
     *     key)
     */
    public boolean exact() {
      return matches == n;
    }

    @Override
    public String toString() {
      return matches
          + " of "
          + n
          + " coefficients match the key, "
          + (ternary ? "ternary" : "not ternary")
          + ", max |coeff| "
          + maxCoeff;
    }
  }

  /**
   * Computes the candidate key {@code (guess - c0) / c1 mod q_0}.
   *
   * @param ct a degree-1 ciphertext at any level (NTT form; row 0 is used)
   * @param guess the attacker's guess of the decrypted polynomial {@code m + e}: N signed integer
   *     coefficients
   * @return the N candidate coefficients, centered in {@code (-q_0 / 2, q_0 / 2]}
   * @throws IllegalArgumentException if the ciphertext is not of degree 1, the guess is not N long,
   *     or an NTT evaluation of {@code c1} is zero (no inverse)
   */
  public static long[] candidate(Ciphertext ct, long[] guess) {
    Ring ring = ct.params().ring();
    int n = ring.n();
    if (ct.degree() != 1) {
      throw new IllegalArgumentException(
          "cannot recover a key: ciphertext degree " + ct.degree() + " is not 1");
    }
    if (guess.length != n) {
      throw new IllegalArgumentException(
          "cannot recover a key: guess has " + guess.length + " coefficients, N=" + n);
    }
    SubRing sub = ring.subRing(0);
    Modulus q0 = sub.modulus();
    long[] x = new long[n];
    ring.setSignedRow(0, guess, x);
    sub.forward(x);
    long[] c0 = ct.value(0).coeffs()[0];
    long[] c1 = ct.value(1).coeffs()[0];
    for (int k = 0; k < n; k++) {
      if (c1[k] == 0) {
        throw new IllegalArgumentException(
            "cannot recover a key: NTT evaluation " + k + " of c1 is zero");
      }
      x[k] = q0.mul(q0.sub(x[k], c0[k]), q0.inv(c1[k]));
    }
    sub.inverse(x);
    return centered(q0.value(), x);
  }

  /**
   * The decrypted polynomial {@code m + e} of a plaintext, as the key holder has it before
   * decoding.
   *
   * @param pt a plaintext (NTT form; row 0 is used)
   * @return its N coefficients centered modulo {@code q_0} (the integers {@code m + e} while they
   *     stay below {@code q_0 / 2})
   */
  public static long[] coefficients(Plaintext pt) {
    SubRing sub = pt.params().ring().subRing(0);
    long[] x = pt.value().coeffs()[0].clone();
    sub.inverse(x);
    return centered(sub.modulus().value(), x);
  }

  /**
   * @param sk the true secret key
   * @return its N ternary coefficients
   */
  public static long[] secret(SecretKey sk) {
    SubRing sub = sk.params().ring().subRing(0);
    long[] x = sk.value().coeffs()[0].clone();
    sub.inverse(x);
    return centered(sub.modulus().value(), x);
  }

  /**
   * Scores a candidate against the true key.
   *
   * @param sk the true secret key
   * @param candidate N centered coefficients from {@link #candidate}
   * @return the score
   */
  public static Score score(SecretKey sk, long[] candidate) {
    long[] s = secret(sk);
    int matches = 0;
    boolean ternary = true;
    long max = 0;
    for (int k = 0; k < s.length; k++) {
      matches += candidate[k] == s[k] ? 1 : 0;
      ternary &= Math.abs(candidate[k]) <= 1;
      max = Math.max(max, Math.abs(candidate[k]));
    }
    return new Score(s.length, matches, ternary, max);
  }

  /**
   * Runs the attack and scores it.
   *
   * @param sk the true secret key (for the score only)
   * @param ct the ciphertext
   * @param guess the guess of {@code m + e}
   * @return the score of the candidate
   */
  public static Score attack(SecretKey sk, Ciphertext ct, long[] guess) {
    return score(sk, candidate(ct, guess));
  }

  private static long[] centered(long q, long[] x) {
    long half = q >>> 1;
    for (int k = 0; k < x.length; k++) {
      x[k] = x[k] > half ? x[k] - q : x[k];
    }
    return x;
  }
}
