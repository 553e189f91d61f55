package dev.splitlearn.he.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * RNS rescaling, CRT reconstruction, automorphisms and bit packing against exact big-integer
 * arithmetic.
 */
class RingTest {

  static final int LOG_N = 6;
  static final Ring RING =
      new Ring(LOG_N, Primes.generateNttPrimes(LOG_N, new int[] {50, 30, 60, 40}, List.of()));

  static BigInteger product(int rows) {
    BigInteger q = BigInteger.ONE;
    for (int i = 0; i < rows; i++) {
      q = q.multiply(BigInteger.valueOf(RING.modulus(i).value()));
    }
    return q;
  }

  /** Random centred integers below Q/2 for rows 0..rows-1, with their RNS rows in p. */
  static BigInteger[] randomPoly(Random rnd, int rows, Poly p) {
    BigInteger qAll = product(rows);
    BigInteger[] x = new BigInteger[RING.n()];
    for (int k = 0; k < x.length; k++) {
      x[k] = new BigInteger(qAll.bitLength() + 8, rnd).mod(qAll).subtract(qAll.shiftRight(1));
      for (int r = 0; r < rows; r++) {
        p.coeffs()[r][k] = x[k].mod(BigInteger.valueOf(RING.modulus(r).value())).longValue();
      }
    }
    return x;
  }

  @Property(tries = 20)
  void divRoundByLastMatchesExactRounding(@ForAll long seed, @ForAll boolean ntt) {
    Random rnd = new Random(seed);
    int rows = 4;
    Poly p = RING.newPoly();
    BigInteger[] x = randomPoly(rnd, rows, p);
    long[] tmp = new long[RING.n()];
    long[] tmp2 = new long[RING.n()];
    int[] targets = {0, 1, 2};
    if (ntt) {
      RING.ntt(rows - 1, p);
      RING.divRoundByLastNtt(p, 3, targets, tmp, tmp2);
      RING.intt(2, p);
    } else {
      RING.divRoundByLast(p, 3, targets, tmp);
    }
    BigInteger qLast = BigInteger.valueOf(RING.modulus(3).value());
    for (int k = 0; k < RING.n(); k++) {
      // round(x / qLast): the result may differ by one on exact ties only, which random inputs
      // never hit
      BigInteger[] qr = x[k].shiftLeft(1).add(qLast).divideAndRemainder(qLast.shiftLeft(1));
      BigInteger expected =
          x[k].shiftLeft(1)
              .add(qLast)
              .subtract(qr[1].signum() < 0 ? qr[1].add(qLast.shiftLeft(1)) : qr[1])
              .divide(qLast.shiftLeft(1));
      for (int t : targets) {
        long q = RING.modulus(t).value();
        assertEquals(
            expected.mod(BigInteger.valueOf(q)).longValue(),
            p.coeffs()[t][k],
            "coefficient " + k + " row " + t);
      }
    }
  }

  @Property(tries = 20)
  void crtReconstructionIsCentredAndExact(
      @ForAll @IntRange(min = 1, max = 4) int rows, @ForAll long seed) {
    Random rnd = new Random(seed);
    Poly p = RING.newPoly();
    BigInteger[] x = randomPoly(rnd, rows, p);
    // also small values of both signs, where a non-centred CRT would lose everything to
    // cancellation
    x[0] = BigInteger.valueOf(-1);
    x[1] = BigInteger.valueOf(12345);
    for (int k = 0; k < 2; k++) {
      for (int r = 0; r < rows; r++) {
        p.coeffs()[r][k] = x[k].mod(BigInteger.valueOf(RING.modulus(r).value())).longValue();
      }
    }
    double[] out = new double[RING.n()];
    new CrtReconstructor(RING, 4).toDouble(p, rows - 1, 1.0, out);
    for (int k = 0; k < out.length; k++) {
      double expected = x[k].doubleValue();
      assertEquals(expected, out[k], Math.abs(expected) * 1e-15, "coefficient " + k);
    }
    assertEquals(-1.0, out[0]);
    assertEquals(12345.0, out[1]);
  }

  @Test
  void automorphismInNttFormMatchesCoefficientForm() {
    Random rnd = new Random(5);
    SubRing sr = RING.subRing(0);
    long q = sr.modulus().value();
    int n = RING.n();
    for (long galEl :
        new long[] {5, 25, 2L * n - 1, Automorphism.galoisElementForRotation(LOG_N, -3)}) {
      long[] a = new long[n];
      for (int k = 0; k < n; k++) {
        a[k] = Math.floorMod(rnd.nextLong(), q);
      }
      long[] viaCoeffs = new long[n];
      Automorphism.applyCoefficients(a, galEl, q, viaCoeffs);
      sr.forward(viaCoeffs);
      long[] fa = a.clone();
      sr.forward(fa);
      int[] index = Automorphism.nttIndex(LOG_N, galEl);
      long[] viaNtt = new long[n];
      for (int k = 0; k < n; k++) {
        viaNtt[k] = fa[index[k]];
      }
      assertArrayEquals(viaCoeffs, viaNtt, "galEl " + galEl);
    }
    assertEquals(1, Automorphism.galoisElementForRotation(LOG_N, 32));
    assertEquals(5, Automorphism.galoisElementForRotation(LOG_N, 33));
  }

  @Property(tries = 30)
  void bitPackingRoundTrips(@ForAll @IntRange(min = 17, max = 60) int bits, @ForAll long seed) {
    Random rnd = new Random(seed);
    long[] row = new long[37];
    for (int k = 0; k < row.length; k++) {
      row[k] = rnd.nextLong() >>> (64 - bits);
    }
    row[0] = (1L << bits) - 1;
    byte[] buf = new byte[3 + BitPacker.packedBytes(row.length, bits)];
    BitPacker.pack(row, bits, buf, 3);
    long[] back = new long[row.length];
    assertEquals(-1, BitPacker.unpack(buf, 3, bits, Long.MAX_VALUE, back));
    assertArrayEquals(row, back);
    assertEquals(
        0,
        BitPacker.unpack(buf, 3, bits, (1L << bits) - 1, back),
        "value at the bound must be flagged");
    assertTrue(BitPacker.packedBytes(8192, 45) == 8192 * 45 / 8);
  }
}
