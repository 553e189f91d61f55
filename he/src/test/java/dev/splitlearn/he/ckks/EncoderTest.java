package dev.splitlearn.he.ckks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.he.ckks.TestContext.Values;
import dev.splitlearn.he.rlwe.Plaintext;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EncoderTest {

  static Stream<TestContext> contexts() {
    return TestContext.all();
  }

  @ParameterizedTest
  @MethodSource("contexts")
  void encodeDecodeRoundTripAtEveryLevel(TestContext tc) {
    Random rnd = new Random(1);
    Values v = tc.randomValues(rnd, 4);
    for (int level = 0; level <= tc.params.maxLevel(); level++) {
      Plaintext pt = new Plaintext(tc.params, level, tc.params.defaultScale());
      tc.encoder.encode(v.re, v.im, pt);
      double[] re = new double[tc.params.slots()];
      double[] im = new double[tc.params.slots()];
      tc.encoder.decode(pt, re, im);
      double bits = TestContext.precisionBits(v, new Values(re, im));
      double expected = tc.params.literal().logDefaultScale() - 0.5 * tc.params.logN() - 3;
      assertTrue(bits >= expected, tc + " level " + level + ": " + bits + " bits < " + expected);
    }
  }

  @ParameterizedTest
  @MethodSource("contexts")
  void largeScaleEncodesExactlyBeyond2To62(TestContext tc) {
    // product scale of two operands may exceed 2^62: exercises the exact double reduction path
    int level = tc.params.maxLevel();
    double scale = Math.scalb(1.0, 55);
    double[] v = {1000.5, -2000.25, 3.0};
    Plaintext pt = new Plaintext(tc.params, level, scale);
    tc.encoder.encode(v, pt);
    double[] out = new double[3];
    tc.encoder.decode(pt, out);
    for (int i = 0; i < 3; i++) {
      assertEquals(v[i], out[i], 1e-6, "slot " + i);
    }
  }

  @ParameterizedTest
  @MethodSource("contexts")
  void tooManyValuesRejected(TestContext tc) {
    Plaintext pt = new Plaintext(tc.params, 0, tc.params.defaultScale());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> tc.encoder.encode(new double[tc.params.slots() + 1], pt));
    assertTrue(e.getMessage().contains(String.valueOf(tc.params.slots() + 1)), e.getMessage());
  }
}
