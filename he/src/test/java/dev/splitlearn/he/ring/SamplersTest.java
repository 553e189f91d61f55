package dev.splitlearn.he.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplersTest {

  @Test
  void prngIsDeterministicPerSeedAndDomain() {
    byte[] seed = new byte[32];
    seed[0] = 1;
    long[] a = new long[100];
    long[] b = new long[100];
    long[] c = new long[100];
    Prng p1 = new Prng(seed, 7);
    Prng p2 = new Prng(seed, 7);
    Prng p3 = new Prng(seed, 8);
    for (int i = 0; i < 100; i++) {
      a[i] = p1.nextLong();
      b[i] = p2.nextLong();
      c[i] = p3.nextLong();
    }
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
    assertFalse(Arrays.equals(Prng.newSeed(), Prng.newSeed()));
    assertThrows(IllegalArgumentException.class, () -> new Prng(new byte[16], 0));
  }

  @Test
  void uniformIsInRangeAndCentred() {
    Modulus m = new Modulus(Primes.generateNttPrimes(12, new int[] {40}, List.of())[0]);
    long[] x = new long[1 << 16];
    Samplers.uniform(Prng.fromSecureRandom(), m, x);
    double mean = 0;
    for (long v : x) {
      assertTrue(v >= 0 && v < m.value());
      mean += (double) v / m.value();
    }
    mean /= x.length;
    assertEquals(0.5, mean, 0.01);
  }

  @Test
  void ternaryIsUniformOnMinusOneZeroOne() {
    long[] x = new long[90000];
    Samplers.ternary(Prng.fromSecureRandom(), x);
    int[] counts = new int[3];
    for (long v : x) {
      assertTrue(v >= -1 && v <= 1);
      counts[(int) v + 1]++;
    }
    for (int c : counts) {
      assertEquals(30000, c, 600);
    }
  }

  @Test
  void gaussianHasSigmaAndBound() {
    long[] x = new long[1 << 17];
    Samplers.gaussian(Prng.fromSecureRandom(), 3.2, 19, x);
    double mean = 0;
    double var = 0;
    long max = 0;
    for (long v : x) {
      mean += v;
      var += (double) v * v;
      max = Math.max(max, Math.abs(v));
    }
    mean /= x.length;
    var /= x.length;
    assertEquals(0, mean, 0.05);
    assertEquals(3.2, Math.sqrt(var), 0.05);
    assertTrue(max <= 19 && max >= 12, "max |e| = " + max);
  }
}
