package dev.splitlearn.he.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

class ModulusTest {

  private static final long[] PRIMES =
      Primes.generateNttPrimes(12, new int[] {17, 30, 45, 59, 60}, List.of());

  @Provide
  Arbitrary<Tuple.Tuple3<Long, Long, Long>> operands() {
    return Arbitraries.of(PRIMES[0], PRIMES[1], PRIMES[2], PRIMES[3], PRIMES[4])
        .flatMap(
            q ->
                Combinators.combine(
                        Arbitraries.longs().between(0, q - 1).edgeCases(c -> c.add(q - 1)),
                        Arbitraries.longs().between(0, q - 1).edgeCases(c -> c.add(q - 1)))
                    .as((a, b) -> Tuple.of(q, a, b)));
  }

  @Property(tries = 300)
  void barrettMulMatchesBigInteger(@ForAll("operands") Tuple.Tuple3<Long, Long, Long> t) {
    Modulus m = new Modulus(t.get1());
    long expected =
        BigInteger.valueOf(t.get2())
            .multiply(BigInteger.valueOf(t.get3()))
            .mod(BigInteger.valueOf(t.get1()))
            .longValue();
    assertEquals(expected, m.mul(t.get2(), t.get3()));
  }

  @Property(tries = 300)
  void shoupMulMatchesBigIntegerAndLazyBound(@ForAll("operands") Tuple.Tuple3<Long, Long, Long> t) {
    long q = t.get1();
    Modulus m = new Modulus(q);
    long w = t.get3();
    long wp = m.shoup(w);
    assertEquals(
        BigInteger.valueOf(w).shiftLeft(63).divide(BigInteger.valueOf(q)).longValueExact(), wp);
    long y = t.get2() * 3 + 2; // lazy input in [0, 4q)
    long expected =
        BigInteger.valueOf(y)
            .multiply(BigInteger.valueOf(w))
            .mod(BigInteger.valueOf(q))
            .longValue();
    long lazy = m.mulShoupLazy(y, w, wp);
    assertTrue(lazy >= 0 && lazy < 2 * q, "lazy result out of [0, 2q): " + lazy);
    assertEquals(expected, lazy % q);
    assertEquals(expected, m.mulShoup(y, w, wp));
  }

  @Property(tries = 300)
  void signedShoupIsExactAt2To64AndLazyUpTo2To63(
      @ForAll("operands") Tuple.Tuple3<Long, Long, Long> t) {
    long q = t.get1();
    Modulus m = new Modulus(q);
    long w = t.get3();
    long ws = m.signed(w);
    assertTrue(2 * Math.abs(ws) < q, "centred twiddle " + ws);
    assertEquals(Math.floorMod(ws, q), w);
    BigInteger bq = BigInteger.valueOf(q);
    // floor, not truncation towards 0, for the negative ones
    BigInteger[] qr = BigInteger.valueOf(ws).shiftLeft(64).divideAndRemainder(bq);
    BigInteger floor = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
    assertEquals(floor.longValueExact(), m.shoupSigned(w));
    for (long y : new long[] {t.get2(), t.get2() * 3 + 2, Long.MAX_VALUE - t.get2()}) {
      long expected = BigInteger.valueOf(y).multiply(BigInteger.valueOf(w)).mod(bq).longValue();
      long lazy = y * ws - Math.multiplyHigh(y, m.shoupSigned(w)) * q;
      assertTrue(lazy >= 0 && lazy < 2 * q, "lazy result out of [0, 2q): " + lazy + " for y " + y);
      assertEquals(expected, lazy % q);
    }
  }

  @Property(tries = 200)
  void reduceMatchesRemainder(@ForAll("operands") Tuple.Tuple3<Long, Long, Long> t) {
    Modulus m = new Modulus(t.get1());
    long x = (t.get2() << 3) ^ (t.get3() * 0x9E3779B97F4A7C15L);
    x &= Long.MAX_VALUE;
    assertEquals(Long.remainderUnsigned(x, t.get1()), m.reduce(x));
    assertEquals(Math.floorMod(-x, t.get1()), m.reduceSigned(-x));
  }

  @Test
  void inverseAndPow() {
    for (long q : PRIMES) {
      Modulus m = new Modulus(q);
      long a = (q / 3) | 1;
      assertEquals(1, m.mul(a, m.inv(a)));
      assertEquals(1, m.pow(a, q - 1));
    }
    assertThrows(IllegalArgumentException.class, () -> new Modulus(1L << 61 | 1));
    assertThrows(IllegalArgumentException.class, () -> new Modulus(1024));
  }
}
