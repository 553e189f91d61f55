package dev.splitlearn.he.rlwe;

import dev.splitlearn.he.ring.Automorphism;
import dev.splitlearn.he.ring.CrtReconstructor;
import dev.splitlearn.he.ring.Modulus;
import dev.splitlearn.he.ring.Primes;
import dev.splitlearn.he.ring.Ring;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * Validated, immutable RLWE/CKKS parameters built from a {@link ParametersLiteral} by {@link
 * #fromLiteral}.
 *
 * <p>The ring holds the moduli {@code q_0..q_L} (rows {@code 0..L}, the ciphertext moduli) followed
 * by the special moduli {@code p_0..p_{k-1}} (rows {@code L+1..L+k}). A ciphertext at level {@code
 * l} uses rows {@code 0..l}. Thread-safe.
 */
public final class Parameters {

  /** Minimum supported logN (the smallest entry of the security table). */
  public static final int MIN_LOG_N = 10;

  /** Maximum supported logN (the largest entry of the security table). */
  public static final int MAX_LOG_N = 15;

  /**
   * Maximum log2(QP) for 128-bit classical security with a uniform ternary secret and sigma = 3.2,
   * from the Homomorphic Encryption Standard (Albrecht et al., 2018), indexed by logN - 10.
   */
  private static final int[] MAX_LOG_QP_128 = {27, 54, 109, 218, 438, 881};

  /** Smallest error standard deviation accepted: the HE standard's 8 / sqrt(2 pi), about 3.19. */
  public static final double MIN_SIGMA = 3.19;

  private final ParametersLiteral literal;
  private final int logN;
  private final long[] q;
  private final long[] p;
  private final Ring ring;
  private final CrtReconstructor crt;
  private final double defaultScale;
  private final int errorBound;
  private final long id;
  private final int logQP;

  private Parameters(ParametersLiteral literal, long[] q, long[] p, int logQP) {
    this.literal = literal;
    this.logN = literal.logN();
    this.q = q;
    this.p = p;
    long[] all = new long[q.length + p.length];
    System.arraycopy(q, 0, all, 0, q.length);
    System.arraycopy(p, 0, all, q.length, p.length);
    this.ring = new Ring(logN, all);
    this.crt = new CrtReconstructor(ring, q.length);
    this.defaultScale = Math.scalb(1.0, literal.logDefaultScale());
    this.errorBound = (int) Math.floor(6 * literal.sigma());
    this.logQP = logQP;
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(literal.toBytes());
      this.id = ByteBuffer.wrap(h).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Validates a literal and builds the parameters (generating the primes).
   *
   * @param literal the description
   * @return the parameters
   * @throws IllegalArgumentException if logN is outside [10, 15]; Q is empty or has more than 62
   *     primes; a prime size is outside [max(17, logN+2), 60]; the default scale is not in [1, 62];
   *     sigma is not in [3.19, 100]; or the set is insecure: log2(QP) exceeds the HE-standard
   *     128-bit limit for logN (27, 54, 109, 218, 438, 881 bits for logN = 10..15). The message
   *     names the value and the limit.
   */
  public static Parameters fromLiteral(ParametersLiteral literal) {
    int logN = literal.logN();
    if (logN < MIN_LOG_N || logN > MAX_LOG_N) {
      throw new IllegalArgumentException(
          "invalid parameters: logN="
              + logN
              + " is outside ["
              + MIN_LOG_N
              + ", "
              + MAX_LOG_N
              + "], the range of the 128-bit security table");
    }
    int[] logQ = literal.logQ();
    int[] logP = literal.logP();
    if (logQ.length == 0 || logQ.length > 62) {
      throw new IllegalArgumentException(
          "invalid parameters: Q must have 1 to 62 primes, got " + logQ.length);
    }
    if (logP.length > 8) {
      throw new IllegalArgumentException(
          "invalid parameters: P must have at most 8 primes, got " + logP.length);
    }
    int minBits = Math.max(Primes.MIN_BITS, logN + 2);
    int logQP = 0;
    for (int b : concat(logQ, logP)) {
      if (b < minBits || b > Modulus.MAX_BITS) {
        throw new IllegalArgumentException(
            "invalid parameters: prime size "
                + b
                + " bits is outside ["
                + minBits
                + ", "
                + Modulus.MAX_BITS
                + "] for logN="
                + logN);
      }
      logQP += b;
    }
    int limit = MAX_LOG_QP_128[logN - MIN_LOG_N];
    if (logQP > limit) {
      throw new IllegalArgumentException(
          "insecure parameters: log2(QP)="
              + logQP
              + " bits exceeds the limit of "
              + limit
              + " bits for 128-bit security at logN="
              + logN
              + " (HE standard, ternary secret); use fewer or smaller primes or a larger logN");
    }
    if (literal.logDefaultScale() < 1 || literal.logDefaultScale() > 62) {
      throw new IllegalArgumentException(
          "invalid parameters: logDefaultScale="
              + literal.logDefaultScale()
              + " is outside [1, 62]");
    }
    if (!(literal.sigma() >= MIN_SIGMA && literal.sigma() <= 100)) {
      throw new IllegalArgumentException(
          "insecure parameters: sigma="
              + literal.sigma()
              + " is outside ["
              + MIN_SIGMA
              + ", 100]: the 128-bit security table assumes an error of width 3.19 or more, and"
              + " below 1/6 the error is zero and one ciphertext gives away the secret key");
    }
    if (literal.secret() == null) {
      throw new IllegalArgumentException("invalid parameters: secret distribution is null");
    }
    long[] primes = Primes.generateNttPrimes(logN, concat(logQ, logP), List.of());
    return new Parameters(
        literal,
        Arrays.copyOfRange(primes, 0, logQ.length),
        Arrays.copyOfRange(primes, logQ.length, primes.length),
        logQP);
  }

  private static int[] concat(int[] a, int[] b) {
    int[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /**
   * @return the literal these parameters were built from
   */
  public ParametersLiteral literal() {
    return literal;
  }

  /**
   * @return log2 of N
   */
  public int logN() {
    return logN;
  }

  /**
   * @return the ring degree N
   */
  public int n() {
    return 1 << logN;
  }

  /**
   * @return the number of CKKS slots, N/2
   */
  public int slots() {
    return 1 << (logN - 1);
  }

  /**
   * @return the maximum level L (number of Q primes minus one)
   */
  public int maxLevel() {
    return q.length - 1;
  }

  /**
   * @return the number of Q primes
   */
  public int qCount() {
    return q.length;
  }

  /**
   * @return the number of special (P) primes
   */
  public int pCount() {
    return p.length;
  }

  /**
   * @param i index in [0, L]
   * @return the i-th ciphertext prime
   */
  public long q(int i) {
    return q[i];
  }

  /**
   * @param i index in [0, pCount)
   * @return the i-th special prime
   */
  public long p(int i) {
    return p[i];
  }

  /**
   * @return a copy of the Q primes
   */
  public long[] qPrimes() {
    return q.clone();
  }

  /**
   * @return a copy of the P primes
   */
  public long[] pPrimes() {
    return p.clone();
  }

  /**
   * @return the sum of the requested prime sizes, an upper bound on log2(QP)
   */
  public int logQP() {
    return logQP;
  }

  /**
   * @return the ring over Q followed by P (rows 0..L are Q, rows L+1.. are P)
   */
  public Ring ring() {
    return ring;
  }

  /**
   * @return CRT reconstruction tables for rows 0..L
   */
  public CrtReconstructor crt() {
    return crt;
  }

  /**
   * @return the default CKKS scale, 2^logDefaultScale
   */
  public double defaultScale() {
    return defaultScale;
  }

  /**
   * @return the error standard deviation
   */
  public double sigma() {
    return literal.sigma();
  }

  /**
   * @return the error bound floor(6 sigma)
   */
  public int errorBound() {
    return errorBound;
  }

  /**
   * @return the secret distribution
   */
  public SecretDistribution secret() {
    return literal.secret();
  }

  /**
   * @return a 64-bit fingerprint (SHA-256 of the literal) written into every wire object
   */
  public long id() {
    return id;
  }

  /**
   * @return row indices of the special primes, L+1..L+k
   */
  public int[] pRows() {
    return Wire.range(q.length, q.length + p.length - 1);
  }

  /**
   * @param k rotation amount in slots (negative rotates the other way)
   * @return the Galois element 5^k mod 2N
   */
  public long galoisElementForRotation(int k) {
    return Automorphism.galoisElementForRotation(logN, k);
  }

  @Override
  public String toString() {
    return "Parameters{logN="
        + logN
        + ", Q="
        + Arrays.toString(q)
        + ", P="
        + Arrays.toString(p)
        + ", log2(QP)<="
        + logQP
        + ", scale=2^"
        + literal.logDefaultScale()
        + "}";
  }
}
