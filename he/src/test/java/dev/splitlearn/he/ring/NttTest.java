package dev.splitlearn.he.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NttTest {

  static long[] randomRow(Random rnd, long q, int n) {
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = Math.floorMod(rnd.nextLong(), q);
    }
    return a;
  }

  /** Schoolbook negacyclic product modulo q. */
  static long[] schoolbook(long[] a, long[] b, Modulus m) {
    int n = a.length;
    long[] c = new long[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        long p = m.mul(a[i], b[j]);
        int k = i + j;
        if (k < n) {
          c[k] = m.add(c[k], p);
        } else {
          c[k - n] = m.sub(c[k - n], p);
        }
      }
    }
    return c;
  }

  @ParameterizedTest
  @CsvSource({"1,20", "2,20", "3,30", "4,30", "6,40", "8,55", "10,60", "13,60"})
  void forwardThenInverseIsIdentity(int logN, int bits) {
    long q = Primes.generateNttPrimes(logN, new int[] {bits}, List.of())[0];
    SubRing r = new SubRing(q, logN);
    Random rnd = new Random(logN * 31L + bits);
    long[] a = randomRow(rnd, q, 1 << logN);
    long[] b = a.clone();
    r.forward(b);
    for (long v : b) {
      assertEquals(true, v >= 0 && v < q, "forward output not reduced");
    }
    r.inverse(b);
    assertArrayEquals(a, b);
  }

  @Property(tries = 20)
  void nttProductIsNegacyclicConvolution(
      @ForAll @IntRange(min = 1, max = 7) int logN,
      @ForAll @IntRange(min = 20, max = 60) int bits,
      @ForAll long seed) {
    long q = Primes.generateNttPrimes(logN, new int[] {Math.max(bits, logN + 2)}, List.of())[0];
    SubRing r = new SubRing(q, logN);
    Modulus m = r.modulus();
    Random rnd = new Random(seed);
    int n = 1 << logN;
    long[] a = randomRow(rnd, q, n);
    long[] b = randomRow(rnd, q, n);
    long[] expected = schoolbook(a, b, m);
    long[] fa = a.clone();
    long[] fb = b.clone();
    r.forward(fa);
    r.forward(fb);
    long[] fc = new long[n];
    for (int i = 0; i < n; i++) {
      fc[i] = m.mul(fa[i], fb[i]);
    }
    r.inverse(fc);
    assertArrayEquals(expected, fc);
  }

  @Test
  void forwardAcceptsLazyInputsBelow4q() {
    int logN = 8;
    long q = Primes.generateNttPrimes(logN, new int[] {60}, List.of())[0];
    SubRing r = new SubRing(q, logN);
    Random rnd = new Random(7);
    long[] a = randomRow(rnd, q, 256);
    long[] lazy = new long[256];
    for (int i = 0; i < 256; i++) {
      lazy[i] = a[i] + q * (i % 4);
    }
    r.forward(a);
    r.forward(lazy);
    assertArrayEquals(a, lazy);
  }

  @Test
  void outputIsEvaluationAtOddPowersOfPsiInBitReversedOrder() {
    int logN = 4;
    int n = 16;
    long q = Primes.generateNttPrimes(logN, new int[] {30}, List.of())[0];
    SubRing r = new SubRing(q, logN);
    Modulus m = r.modulus();
    long[] a = randomRow(new Random(3), q, n);
    long[] fa = a.clone();
    r.forward(fa);
    for (int i = 0; i < n; i++) {
      long x = m.pow(r.psi(), 2L * SubRing.bitReverse(i, logN) + 1);
      long acc = 0;
      for (int k = n - 1; k >= 0; k--) {
        acc = m.add(m.mul(acc, x), a[k]);
      }
      assertEquals(acc, fa[i], "evaluation " + i);
    }
  }

  /**
   * N^-1 sum_i A_i psi^-((2 bitrev(i) + 1) k): the inverse transform by its definition, in
   * BigInteger.
   */
  static long[] naiveInverse(long[] evals, SubRing r, int logN) {
    int n = 1 << logN;
    BigInteger q = BigInteger.valueOf(r.modulus().value());
    BigInteger psiInv = BigInteger.valueOf(r.psi()).modInverse(q);
    BigInteger nInv = BigInteger.valueOf(n).modInverse(q);
    long[] out = new long[n];
    for (int k = 0; k < n; k++) {
      BigInteger acc = BigInteger.ZERO;
      for (int i = 0; i < n; i++) {
        long e = (2L * SubRing.bitReverse(i, logN) + 1) * k;
        acc =
            acc.add(BigInteger.valueOf(evals[i]).multiply(psiInv.modPow(BigInteger.valueOf(e), q)));
      }
      out[k] = acc.multiply(nInv).mod(q).longValueExact();
    }
    return out;
  }

  /** Random values in [0, 2q) with the edges 0, 1, q - 1, q, q + 1 and 2q - 1 mixed in. */
  static long[] lazyRow(Random rnd, long q, int n) {
    long[] edges = {0, 1, q - 1, q, q + 1, 2 * q - 1};
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] =
          rnd.nextInt(3) == 0
              ? edges[rnd.nextInt(edges.length)]
              : Math.floorMod(rnd.nextLong(), 2 * q);
    }
    return a;
  }

  @Property(tries = 40)
  void inverseMatchesDefinitionOnLazyInputs(
      @ForAll @IntRange(min = 1, max = 8) int logN,
      @ForAll @IntRange(min = 20, max = 60) int bits,
      @ForAll long seed) {
    long q = Primes.generateNttPrimes(logN, new int[] {Math.max(bits, logN + 2)}, List.of())[0];
    SubRing r = new SubRing(q, logN);
    long[] a = lazyRow(new Random(seed), q, 1 << logN);
    long[] expected = naiveInverse(a, r, logN);
    r.inverse(a);
    assertArrayEquals(expected, a);
  }

  @Test
  void inverseOfAllMaximalInputsMatchesDefinition() {
    for (int logN : new int[] {2, 3, 9, 10}) {
      long q = Primes.generateNttPrimes(logN, new int[] {60}, List.of())[0];
      SubRing r = new SubRing(q, logN);
      long[] a = new long[1 << logN];
      java.util.Arrays.fill(a, 2 * q - 1);
      long[] expected = naiveInverse(a, r, logN);
      r.inverse(a);
      assertArrayEquals(expected, a, "logN=" + logN);
    }
  }

  @Property(tries = 30)
  void forwardLazyIsForwardUpToMultiplesOfQ(
      @ForAll @IntRange(min = 1, max = 13) int logN,
      @ForAll @IntRange(min = 20, max = 60) int bits,
      @ForAll long seed) {
    long q = Primes.generateNttPrimes(logN, new int[] {Math.max(bits, logN + 2)}, List.of())[0];
    SubRing r = new SubRing(q, logN);
    Random rnd = new Random(seed);
    int n = 1 << logN;
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = rnd.nextInt(4) == 0 ? 4 * q - 1 : Math.floorMod(rnd.nextLong(), 4 * q);
    }
    long[] full = a.clone();
    r.forward(full);
    r.forwardLazy(a);
    for (int i = 0; i < n; i++) {
      assertEquals(true, a[i] >= 0 && a[i] < 4 * q, "lazy output outside [0, 4q) at " + i);
      assertEquals(full[i], a[i] % q, "lazy output not congruent at " + i);
    }
  }
}
