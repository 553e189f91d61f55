package dev.splitlearn.he.ckks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.Plaintext;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The periodic encoder gives the plaintext of the general encoder, coefficient for coefficient. */
class PeriodicEncoderTest {
  static final Parameters PARAMS = Parameters.fromLiteral(ParameterSets.SPLIT_N4096_Q45_30);

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 32, 64, 2048})
  void matchesTheGeneralEncoder(int period) {
    Random rnd = new Random(period);
    double[] re = new double[period];
    double[] im = new double[period];
    for (int t = 0; t < period; t++) {
      re[t] = 2 * rnd.nextDouble() - 1;
      im[t] = 2 * rnd.nextDouble() - 1;
    }
    double[] fullRe = new double[PARAMS.slots()];
    double[] fullIm = new double[PARAMS.slots()];
    for (int s = 0; s < fullRe.length; s++) {
      fullRe[s] = re[s % period];
      fullIm[s] = im[s % period];
    }
    int level = PARAMS.maxLevel();
    double scale = PARAMS.ring().modulus(level).value();
    Plaintext expected = new Plaintext(PARAMS, level, scale);
    new Encoder(PARAMS).encode(fullRe, fullIm, expected);
    Plaintext actual = new Plaintext(PARAMS, level, scale);
    new PeriodicEncoder(PARAMS, period).encode(re, im, actual);
    // the same integer polynomial, up to the last-bit rounding of a few coefficients (+-1 in NTT
    // form is
    // a dense difference, so compare after decoding against the exact vector instead)
    Encoder decoder = new Encoder(PARAMS);
    double[] outRe = new double[PARAMS.slots()];
    double[] outIm = new double[PARAMS.slots()];
    decoder.decode(actual, outRe, outIm);
    double worst = 0;
    for (int s = 0; s < outRe.length; s++) {
      worst =
          Math.max(worst, Math.max(Math.abs(outRe[s] - fullRe[s]), Math.abs(outIm[s] - fullIm[s])));
    }
    assertTrue(worst < 1e-6, "period " + period + ": max slot error " + worst);
    int equal = 0;
    long[] a = actual.value().coeffs()[0];
    long[] b = expected.value().coeffs()[0];
    for (int j = 0; j < a.length; j++) {
      equal += a[j] == b[j] ? 1 : 0;
    }
    assertEquals(
        a.length,
        equal,
        "NTT rows of the two encodings differ in " + (a.length - equal) + " places");
  }

  @Test
  void refusesBadPeriodsAndLengths() {
    assertThrows(IllegalArgumentException.class, () -> new PeriodicEncoder(PARAMS, 3));
    assertThrows(IllegalArgumentException.class, () -> new PeriodicEncoder(PARAMS, 4096));
    PeriodicEncoder enc = new PeriodicEncoder(PARAMS, 4);
    Plaintext pt = new Plaintext(PARAMS, 1, 1 << 20);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> enc.encode(new double[5], null, pt));
    assertTrue(e.getMessage().contains("expected 4 values"), e.getMessage());
  }
}
