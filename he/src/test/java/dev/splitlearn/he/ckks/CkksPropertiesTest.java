package dev.splitlearn.he.ckks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.he.ckks.TestContext.Values;
import dev.splitlearn.he.rlwe.Ciphertext;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Property tests with random vectors on the small N=4096 set (few tries, to keep the suite fast).
 */
class CkksPropertiesTest {

  static final TestContext TC = TestContext.of("N4096_Q40_30_P39", ParameterSets.N4096_Q40_30_P39);
  static final int LOG_SCALE = TC.params.literal().logDefaultScale();

  @Property(tries = 10)
  void encryptDecryptErrorIsBoundedRelativeToScale(
      @ForAll long seed,
      @ForAll @DoubleRange(min = 0.01, max = 500) double bound,
      @ForAll boolean secretKey) {
    Values v = TC.randomValues(new Random(seed), bound);
    double bits =
        TestContext.precisionBits(v, TC.decrypt(TC.encrypt(v, TC.params.maxLevel(), secretKey)));
    // the error is absolute (independent of the magnitude): about 2^-(logScale - logN/2 - 3) for
    // secret-key
    // encryption; public-key encryption adds u*e terms and measures about 2 bits worse (17.8 bits
    // typical here),
    // so its bound leaves about 3 bits of margin below that (7 left under 1 bit and failed once in
    // our runs)
    double margin = secretKey ? 7 : 9;
    assertTrue(
        bits >= LOG_SCALE - 0.5 * TC.params.logN() - margin,
        "bits " + bits + " for bound " + bound);
  }

  @Property(tries = 10)
  void linearCombinationMatches(
      @ForAll long seed, @ForAll @DoubleRange(min = -4, max = 4) double c) {
    Random rnd = new Random(seed);
    Values a = TC.randomValues(rnd, 2);
    Values b = TC.randomValues(rnd, 2);
    Evaluator ev = TC.evaluator;
    int level = TC.params.maxLevel();
    // c * a: an integer constant keeps level and scale, a real one costs a rescale and restores the
    // scale
    Ciphertext ac = ev.mulNew(TC.encrypt(a, level, true), c);
    if (ac.scale() != TC.params.defaultScale()) {
      ev.rescale(ac, ac);
    }
    Ciphertext cb = TC.encrypt(b, ac.level(), false);
    Ciphertext sum = ev.addNew(ac, cb);
    int n = TC.params.slots();
    double[] re = new double[n], im = new double[n];
    for (int i = 0; i < n; i++) {
      re[i] = c * a.re[i] + b.re[i];
      im[i] = c * a.im[i] + b.im[i];
    }
    double bits = TestContext.precisionBits(new Values(re, im), TC.decrypt(sum));
    assertTrue(bits >= LOG_SCALE - 0.5 * TC.params.logN() - 9, "bits " + bits + " for c " + c);
  }

  @Property(tries = 8)
  void rotationByAnyKeyedAmountIsACyclicShift(
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 8) int which) {
    int k = TestContext.ROTATIONS[which];
    Values a = TC.randomValues(new Random(seed), 1);
    Ciphertext r = TC.evaluator.rotateNew(TC.encrypt(a, TC.params.maxLevel(), true), k);
    int n = TC.params.slots();
    double[] re = new double[n], im = new double[n];
    for (int i = 0; i < n; i++) {
      re[i] = a.re[Math.floorMod(i + k, n)];
      im[i] = a.im[Math.floorMod(i + k, n)];
    }
    double bits = TestContext.precisionBits(new Values(re, im), TC.decrypt(r));
    assertTrue(bits >= LOG_SCALE - 0.5 * TC.params.logN() - 11, "k=" + k + ": " + bits);
  }
}
