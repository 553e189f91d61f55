package dev.splitlearn.he.ring;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** NTT-friendly prime generation and a deterministic primality test for 64-bit values. */
public final class Primes {

  /** Smallest supported prime bit length. */
  public static final int MIN_BITS = 17;

  private static final long[] MR_BASES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};

  private Primes() {}

  /**
   * Deterministic Miller-Rabin test (the first twelve prime bases are exact for all n &lt; 3.3e24).
   *
   * @param n the candidate, any value below {@code 2^60}
   * @return whether {@code n} is prime
   */
  public static boolean isPrime(long n) {
    if (n < 2) {
      return false;
    }
    for (long p : MR_BASES) {
      if (n % p == 0) {
        return n == p;
      }
    }
    Modulus m = new Modulus(n);
    long d = n - 1;
    int s = Long.numberOfTrailingZeros(d);
    d >>>= s;
    for (long a : MR_BASES) {
      long x = m.pow(a % n, d);
      if (x == 1 || x == n - 1) {
        continue;
      }
      boolean composite = true;
      for (int r = 1; r < s; r++) {
        x = m.mul(x, x);
        if (x == n - 1) {
          composite = false;
          break;
        }
      }
      if (composite) {
        return false;
      }
    }
    return true;
  }

  /**
   * Generates distinct primes {@code q = 1 mod 2N} with exactly the requested bit lengths, each the
   * largest such prime below {@code 2^bits} that is not excluded or already chosen. The result is
   * deterministic.
   *
   * @param logN log2 of the ring degree N
   * @param bitSizes requested bit lengths, each in {@code [MIN_BITS, 60]} and larger than {@code
   *     logN + 1}
   * @param exclude primes that must not be returned (may be empty)
   * @return one prime per requested size, in the same order
   * @throws IllegalArgumentException if a size is out of range or not enough primes of a size exist
   */
  public static long[] generateNttPrimes(int logN, int[] bitSizes, Collection<Long> exclude) {
    Set<Long> used = new HashSet<>(exclude);
    long twoN = 2L << logN;
    long[] out = new long[bitSizes.length];
    for (int i = 0; i < bitSizes.length; i++) {
      int bits = bitSizes[i];
      if (bits < MIN_BITS || bits > Modulus.MAX_BITS || bits <= logN + 1) {
        throw new IllegalArgumentException(
            "cannot generate NTT prime: bit size "
                + bits
                + " is outside ["
                + Math.max(MIN_BITS, logN + 2)
                + ", "
                + Modulus.MAX_BITS
                + "] for logN="
                + logN);
      }
      long low = 1L << (bits - 1);
      long candidate = (1L << bits) - twoN + 1;
      while (candidate > low && (used.contains(candidate) || !isPrime(candidate))) {
        candidate -= twoN;
      }
      if (candidate <= low) {
        throw new IllegalArgumentException(
            "cannot generate NTT prime: not enough "
                + bits
                + "-bit primes = 1 mod 2N for logN="
                + logN);
      }
      used.add(candidate);
      out[i] = candidate;
    }
    return out;
  }

  /**
   * Finds a primitive {@code 2N}-th root of unity modulo a prime {@code q = 1 mod 2N},
   * deterministically (the smallest one among {@code x^((q-1)/2N)} for {@code x = 2, 3, ...}).
   *
   * @param m the prime modulus
   * @param logN log2 of N
   * @return psi with {@code psi^N = -1 mod q}
   * @throws IllegalArgumentException if {@code q != 1 mod 2N}
   */
  public static long primitiveRoot2N(Modulus m, int logN) {
    long q = m.value();
    long twoN = 2L << logN;
    if ((q - 1) % twoN != 0) {
      throw new IllegalArgumentException("modulus " + q + " is not 1 mod 2N=" + twoN);
    }
    long n = twoN / 2;
    for (long x = 2; x < q; x++) {
      long g = m.pow(x, (q - 1) / twoN);
      if (m.pow(g, n) == q - 1) {
        return g;
      }
    }
    throw new IllegalArgumentException("no primitive 2N-th root of unity modulo " + q);
  }
}
