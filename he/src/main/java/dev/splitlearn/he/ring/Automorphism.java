package dev.splitlearn.he.ring;

/** Index tables for the ring automorphisms {@code X -> X^galEl} (galEl odd, modulo 2N). */
public final class Automorphism {

  private Automorphism() {}

  /**
   * Permutation that applies {@code X -> X^galEl} to a polynomial in NTT form (bit-reversed
   * evaluation order of {@link SubRing#forward}): {@code out[i] = in[index[i]]}.
   *
   * @param logN log2 of N
   * @param galEl an odd Galois element in {@code [1, 2N)}
   * @return the index table of length N
   * @throws IllegalArgumentException if galEl is even or out of range
   */
  public static int[] nttIndex(int logN, long galEl) {
    int n = 1 << logN;
    long mask = 2L * n - 1;
    checkGalEl(n, galEl);
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      long e = 2L * SubRing.bitReverse(i, logN) + 1;
      long f = ((galEl * e) & mask) >>> 1;
      index[i] = SubRing.bitReverse((int) f, logN);
    }
    return index;
  }

  /**
   * Applies {@code X -> X^galEl} to a polynomial in coefficient form (one row).
   *
   * @param in N coefficients modulo q
   * @param galEl odd Galois element in {@code [1, 2N)}
   * @param q the modulus of the row
   * @param out output row, must not alias {@code in}
   */
  public static void applyCoefficients(long[] in, long galEl, long q, long[] out) {
    int n = in.length;
    checkGalEl(n, galEl);
    long mask = 2L * n - 1;
    for (int i = 0; i < n; i++) {
      long j = (i * galEl) & mask;
      if (j < n) {
        out[(int) j] = in[i];
      } else {
        out[(int) (j - n)] = in[i] == 0 ? 0 : q - in[i];
      }
    }
  }

  /**
   * Galois element of a rotation of the CKKS slots by {@code k} positions: {@code 5^k mod 2N}
   * (negative {@code k} rotate the other way).
   *
   * @param logN log2 of N
   * @param k rotation amount, any integer
   * @return the Galois element
   */
  public static long galoisElementForRotation(int logN, int k) {
    int slots = 1 << (logN - 1);
    long mask = (2L << logN) - 1;
    int e = Math.floorMod(k, slots);
    long g = 1;
    long b = 5;
    while (e > 0) {
      if ((e & 1) == 1) {
        g = (g * b) & mask;
      }
      b = (b * b) & mask;
      e >>>= 1;
    }
    return g;
  }

  private static void checkGalEl(int n, long galEl) {
    if ((galEl & 1) == 0 || galEl < 1 || galEl >= 2L * n) {
      throw new IllegalArgumentException(
          "invalid Galois element " + galEl + ": must be odd and in [1, 2N=" + 2L * n + ")");
    }
  }
}
