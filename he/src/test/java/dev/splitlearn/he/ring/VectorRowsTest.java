package dev.splitlearn.he.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.junit.jupiter.api.Test;

/**
 * The vector row kernels give the scalar code's results bit for bit. Where the JVM has no 512-bit
 * vectors (an AVX2-only CPU, or {@code -XX:UseAVX=2}) only the scalar code runs, and the properties
 * are skipped: an assumption inside a property would reject every try, which jqwik reports as a
 * failure.
 */
@AddLifecycleHook(VectorRowsTest.NeedsVectors.class)
class VectorRowsTest {

  /** Skips the properties when the vector kernels cannot run here. */
  static final class NeedsVectors implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
      return SubRing.VECTORS
          ? SkipResult.doNotSkip()
          : SkipResult.skip("no 512-bit vectors in this JVM: only the scalar code runs");
    }
  }

  /** Values in [0, bound), with the bound's edges included often. */
  private static long[] lazyRow(Random rnd, long bound, int n) {
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      int edge = rnd.nextInt(8);
      a[i] = edge == 0 ? bound - 1 : edge == 1 ? 0 : Math.floorMod(rnd.nextLong(), bound);
    }
    return a;
  }

  @Property(tries = 60)
  void vectorStagesMatchScalarStages(
      @ForAll @IntRange(min = 1, max = 14) int logN,
      @ForAll @IntRange(min = 20, max = 60) int bits,
      @ForAll long seed) {
    long q = Primes.generateNttPrimes(logN, new int[] {bits}, List.of())[0];
    SubRing ring = new SubRing(q, logN);
    Random rnd = new Random(seed);
    int n = 1 << logN;
    for (boolean reduce : new boolean[] {true, false}) {
      long[] in = lazyRow(rnd, 4 * q, n); // the forward transform takes [0, 4q)
      long[] scalar = in.clone();
      long[] vector = in.clone();
      ring.forward(scalar, reduce, false);
      ring.forward(vector, reduce, true);
      assertArrayEquals(scalar, vector, "forward, reduce=" + reduce);
    }
    long[] in = lazyRow(rnd, 2 * q, n); // the inverse transform takes [0, 2q)
    long[] scalar = in.clone();
    long[] vector = in.clone();
    ring.inverse(scalar, false);
    ring.inverse(vector, true);
    assertArrayEquals(scalar, vector, "inverse");
  }

  @Property(tries = 40)
  void vectorGadgetProductMatchesScalar(
      @ForAll @IntRange(min = 1, max = 100) int n,
      @ForAll @IntRange(min = 20, max = 60) int bits,
      @ForAll long seed) {
    long q = Primes.generateNttPrimes(1, new int[] {bits}, List.of())[0];
    Modulus m = new Modulus(q);
    Random rnd = new Random(seed);
    long[] t = lazyRow(rnd, 4 * q, n); // a digit row from the lazy forward transform
    long[] b = lazyRow(rnd, q, n);
    long[] a = lazyRow(rnd, q, n);
    long[] bs = new long[n];
    long[] as = new long[n];
    for (int k = 0; k < n; k++) {
      bs[k] = m.shoup(b[k]);
      as[k] = m.shoup(a[k]);
    }
    for (boolean first : new boolean[] {true, false}) {
      long[][] acc = {lazyRow(rnd, 2 * q, n), lazyRow(rnd, 2 * q, n)};
      long[][] scalar = {acc[0].clone(), acc[1].clone()};
      long[][] vector = {acc[0].clone(), acc[1].clone()};
      Ring.gadgetProductRow(q, t, b, bs, a, as, scalar[0], scalar[1], first, false);
      Ring.gadgetProductRow(q, t, b, bs, a, as, vector[0], vector[1], first, true);
      assertArrayEquals(scalar[0], vector[0], "acc0, first=" + first);
      assertArrayEquals(scalar[1], vector[1], "acc1, first=" + first);
    }
  }

  @Property(tries = 40)
  void vectorBarrettProductsMatchScalar(
      @ForAll @IntRange(min = 1, max = 6) int logN,
      @ForAll @IntRange(min = 20, max = 60) int bits,
      @ForAll long seed) {
    long q = Primes.generateNttPrimes(logN, new int[] {bits}, List.of())[0];
    Ring ring = new Ring(logN, new long[] {q});
    Random rnd = new Random(seed);
    int n = 1 << logN;
    long[] x = lazyRow(rnd, q, n);
    long[] y = lazyRow(rnd, q, n);
    long[] scalar = new long[n];
    long[] vector = new long[n];
    ring.mulRow(0, x, y, scalar, false);
    ring.mulRow(0, x, y, vector, true);
    assertArrayEquals(scalar, vector, "x * y");
    long[] acc = lazyRow(rnd, q, n);
    scalar = acc.clone();
    vector = acc.clone();
    ring.mulAddRow(0, x, y, scalar, false);
    ring.mulAddRow(0, x, y, vector, true);
    assertArrayEquals(scalar, vector, "acc + x * y");
  }

  @Test
  void theTestJvmHasTheVectorModule() {
    // pom.xml starts the tests with it; without it the properties above would be skipped everywhere
    assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
  }
}
