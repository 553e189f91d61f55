package dev.splitlearn.he.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PrimesTest {

  @Property(tries = 25)
  void generatedPrimesArePrimeNttFriendlyDistinctAndSized(
      @ForAll @IntRange(min = 10, max = 15) int logN,
      @ForAll @IntRange(min = 20, max = 60) int bits) {
    int b = Math.max(bits, logN + 12);
    int[] sizes = {b, b, 60, b};
    long[] ps = Primes.generateNttPrimes(logN, sizes, List.of());
    assertEquals(
        ps.length,
        Arrays.stream(ps).distinct().count(),
        "primes not distinct: " + Arrays.toString(ps));
    for (int i = 0; i < ps.length; i++) {
      long p = ps[i];
      assertTrue(BigInteger.valueOf(p).isProbablePrime(60), p + " is not prime");
      assertEquals(1, p % (2L << logN), p + " is not 1 mod 2N");
      assertEquals(sizes[i], 64 - Long.numberOfLeadingZeros(p), "bit size of " + p);
    }
  }

  @Test
  void millerRabinAgreesWithBigInteger() {
    for (long n = (1L << 40) - 2000; n < (1L << 40); n++) {
      assertEquals(BigInteger.valueOf(n).isProbablePrime(60), Primes.isPrime(n), "n=" + n);
    }
    assertFalse(Primes.isPrime(3215031751L)); // strong pseudoprime to bases 2, 3, 5, 7
    assertTrue(
        Primes.isPrime(2305843009213693951L >> 1 | 1)
            == BigInteger.valueOf(2305843009213693951L >> 1 | 1).isProbablePrime(60));
  }

  @Test
  void excludedAndOutOfRangeRequests() {
    long[] first = Primes.generateNttPrimes(12, new int[] {40}, List.of());
    long[] second = Primes.generateNttPrimes(12, new int[] {40}, List.of(first[0]));
    assertTrue(second[0] < first[0]);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Primes.generateNttPrimes(12, new int[] {61}, List.of()));
    assertTrue(e.getMessage().contains("61"), e.getMessage());
  }

  @Test
  void primitiveRootHasOrder2N() {
    long q = Primes.generateNttPrimes(10, new int[] {30}, List.of())[0];
    Modulus m = new Modulus(q);
    long psi = Primes.primitiveRoot2N(m, 10);
    assertEquals(q - 1, m.pow(psi, 1024));
    assertEquals(1, m.pow(psi, 2048));
  }
}
