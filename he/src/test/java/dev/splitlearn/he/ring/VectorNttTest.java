package dev.splitlearn.he.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The vector stages of the NTT give the scalar transforms' results bit for bit. */
class VectorNttTest {

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
    assumeTrue(SubRing.VECTORS, "no 512-bit vectors in this JVM: only the scalar stages run");
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

  @Test
  void theTestJvmHasTheVectorModule() {
    // pom.xml starts the tests with it; without it the property above would be skipped everywhere
    assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
  }
}
