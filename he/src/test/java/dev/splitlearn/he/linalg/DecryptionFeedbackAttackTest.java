package dev.splitlearn.he.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.he.ckks.Encoder;
import dev.splitlearn.he.ckks.ParameterSets;
import dev.splitlearn.he.rlwe.Ciphertext;
import dev.splitlearn.he.rlwe.Decryptor;
import dev.splitlearn.he.rlwe.KeyGenerator;
import dev.splitlearn.he.rlwe.KeyRecovery;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.Plaintext;
import dev.splitlearn.he.rlwe.SecretKey;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Point 2(d) of issue 12, the decryption-feedback (IND-CPA-D) key recovery of Li and Micciancio
 * (2021), on the split-he default set n4096 ({@link ParameterSets#SPLIT_N4096_Q45_30}) at the scale
 * the layer's outputs have (2^30 at level 0). The server made the output ciphertext {@code (c0,
 * c1)}, so it knows it; if it also learns what the client's decryption yields, it knows {@code m +
 * e} as far as that output's precision allows, and {@link KeyRecovery} gives {@code s = (m + e -
 * c0) / c1}. Each leak below is re-encoded at the ciphertext's scale and rounded (the attacker's
 * best integer guess of {@code m + e}), then scored.
 *
 * <p>Three outputs of the layer (B = 64, d = 256, m = 5, weights of deviation 0.1): with the
 * zero-sum masks the server adds in the protocol (slot values up to about 2^12), without them (the
 * partial sums, up to about 2), and without them with weights and bias scaled by 2^-10 (up to about
 * 2^-9), values a malicious server may choose to make small. Not covered: in the protocol the
 * server never sees decrypted values, only {@code dW}, {@code db} (or per-sample {@code dZ})
 * computed from the logits the client sums from the slots; and lattice attacks that use an
 * approximate {@code m + e} are not run.
 */
class DecryptionFeedbackAttackTest {

  static final int BATCH = 64;
  static final int FEATURES = 256;
  static final int OUTPUTS = 5;

  /** The default {@code --he-logit-noise}. */
  static final double LOGIT_NOISE = 0x1p-10;

  static Parameters params;
  static SecretKey sk;
  static Decryptor decryptor;
  static Encoder encoder;
  static Ciphertext masked;
  static Ciphertext unmasked;
  static Ciphertext small;

  /** What the attacker learns of the decryption. */
  enum Leak {
    /** (a) the decrypted plaintext polynomial, integers. */
    EXACT,
    /**
     * (b) the decoded slots as {@link Encoder#decode(Plaintext, double[], double[])} returns them.
     */
    DOUBLE,
    /** (c) the decoded slots rounded to float32, what the client computes with. */
    FLOAT32,
    /**
     * (d) float32 plus Gaussian noise of deviation 2^-10 per value, as {@code
     * GradientPrivacy.floodLogits}.
     */
    FLOAT32_NOISE
  }

  /**
   * @param exactCoefficients coefficients of the attacker's guess equal to the true {@code m + e}
   * @param maxOff largest |guess - (m + e)| over the coefficients
   * @param score the recovered key against the true one
   */
  record Outcome(int exactCoefficients, long maxOff, KeyRecovery.Score score) {}

  @BeforeAll
  static void setUp() {
    params = Parameters.fromLiteral(ParameterSets.SPLIT_N4096_Q45_30);
    sk = new KeyGenerator(params).genSecretKey();
    decryptor = new Decryptor(params, sk);
    encoder = new Encoder(params);
    Random rnd = new Random(12);
    float[][] a = new float[BATCH][FEATURES];
    for (float[] row : a) {
      for (int j = 0; j < FEATURES; j++) {
        row[j] = 2 * rnd.nextFloat(); // post-ReLU activations
      }
    }
    double[][] w = new double[OUTPUTS][FEATURES];
    double[] b = new double[OUTPUTS];
    for (int k = 0; k < OUTPUTS; k++) {
      for (int j = 0; j < FEATURES; j++) {
        w[k][j] = 0.1 * rnd.nextGaussian();
      }
      b[k] = 0.1 * rnd.nextGaussian();
    }
    List<Ciphertext> in = new BatchClient(params, sk).encryptBatch(a, BATCH, FEATURES);
    BatchedLinearLayer layer = new BatchedLinearLayer(params);
    masked = layer.evaluate(in, w, b, BATCH, true).get(0);
    unmasked = layer.evaluate(in, w, b, BATCH, false).get(0);
    for (int k = 0; k < OUTPUTS; k++) {
      for (int j = 0; j < FEATURES; j++) {
        w[k][j] *= 0x1p-10;
      }
      b[k] *= 0x1p-10;
    }
    small = layer.evaluate(in, w, b, BATCH, false).get(0);
    assertEquals(0, masked.level());
    for (Ciphertext ct : new Ciphertext[] {masked, unmasked, small}) {
      System.out.printf(
          "DecryptionFeedbackAttackTest n4096 %s: scale 2^%.2f, max |slot| %.3g, max |m + e| %d%n",
          name(ct),
          Math.log(ct.scale()) / Math.log(2),
          maxSlot(ct),
          maxAbs(KeyRecovery.coefficients(decryptor.decryptNew(ct))));
    }
  }

  static String name(Ciphertext ct) {
    return ct == masked
        ? "masked"
        : ct == unmasked ? "unmasked" : "small (weights x 2^-10, unmasked)";
  }

  static double maxSlot(Ciphertext ct) {
    double[] re = new double[params.slots()];
    double[] im = new double[params.slots()];
    encoder.decode(decryptor.decryptNew(ct), re, im);
    double max = 0;
    for (int s = 0; s < re.length; s++) {
      max = Math.max(max, Math.max(Math.abs(re[s]), Math.abs(im[s])));
    }
    return max;
  }

  static long maxAbs(long[] x) {
    long max = 0;
    for (long v : x) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  static Outcome attack(Ciphertext ct, Leak leak, long seed) {
    Plaintext pt = decryptor.decryptNew(ct);
    long[] exact = KeyRecovery.coefficients(pt);
    long[] guess = exact;
    if (leak != Leak.EXACT) {
      double[] re = new double[params.slots()];
      double[] im = new double[params.slots()];
      encoder.decode(pt, re, im);
      Random noise = new Random(seed);
      for (double[] part : new double[][] {re, im}) {
        for (int s = 0; s < part.length; s++) {
          if (leak == Leak.FLOAT32 || leak == Leak.FLOAT32_NOISE) {
            float v = (float) part[s];
            if (leak == Leak.FLOAT32_NOISE) {
              v += (float) (LOGIT_NOISE * noise.nextGaussian());
            }
            part[s] = v;
          }
        }
      }
      Plaintext reEncoded = new Plaintext(params, ct.level(), ct.scale());
      encoder.encode(re, im, reEncoded);
      guess = KeyRecovery.coefficients(reEncoded);
    }
    int same = 0;
    long maxOff = 0;
    for (int k = 0; k < exact.length; k++) {
      same += guess[k] == exact[k] ? 1 : 0;
      maxOff = Math.max(maxOff, Math.abs(guess[k] - exact[k]));
    }
    Outcome o = new Outcome(same, maxOff, KeyRecovery.attack(sk, ct, guess));
    System.out.printf(
        "DecryptionFeedbackAttackTest n4096 %s, %s: m + e guessed in %d of %d coefficients (max off "
            + "by %d); key: %s%n",
        name(ct), leak, o.exactCoefficients(), params.n(), o.maxOff(), o.score());
    return o;
  }

  static void assertKeyRecovered(Outcome o) {
    assertEquals(params.n(), o.exactCoefficients());
    assertTrue(o.score().exact() && o.score().ternary(), o.score().toString());
  }

  /**
   * The candidate is uniform modulo q_0: at most one match by chance (N / q_0 = 2^-33 expected),
   * not ternary.
   */
  static void assertKeyHidden(Outcome o) {
    assertTrue(o.score().matches() <= 1, o.score().toString());
    assertFalse(o.score().ternary(), o.score().toString());
  }

  /**
   * (a) The attack as published: the exact decrypted polynomial gives the key, whatever the values.
   */
  @Test
  void theExactDecryptionGivesTheKey() {
    for (Ciphertext ct : new Ciphertext[] {masked, unmasked, small}) {
      assertKeyRecovered(attack(ct, Leak.EXACT, 1));
    }
  }

  /**
   * (b) The decoder returns real and imaginary parts (N values for N coefficients) in double
   * precision: with |m + e| below 2^38 even with the masks, re-encoding and rounding is exact, so
   * the decoded doubles are as good as the polynomial.
   */
  @Test
  void theDecodedDoublesGiveTheKey() {
    for (Ciphertext ct : new Ciphertext[] {masked, unmasked, small}) {
      assertKeyRecovered(attack(ct, Leak.DOUBLE, 1));
    }
  }

  /**
   * (c) float32 keeps 24 bits per value: at the masked values (about 2^12) that is thousands of
   * units off per coefficient; at the unmasked partial sums (about 2) most coefficients still round
   * right but a few percent are off by one, and the algebra fails; at values a server can make
   * small on purpose (weights scaled by 2^-10) float32 is exact and gives the key. Rounding to
   * float32 is therefore no protection by itself.
   */
  @Test
  void float32ValuesHideTheKeyOnlyWhenTheyAreLarge() {
    Outcome m = attack(masked, Leak.FLOAT32, 1);
    assertKeyHidden(m);
    assertTrue(m.maxOff() > 100, "masked values in float32 are off by " + m.maxOff());
    Outcome u = attack(unmasked, Leak.FLOAT32, 1);
    assertKeyHidden(u);
    assertTrue(
        u.exactCoefficients() > params.n() * 9 / 10
            && u.exactCoefficients() < params.n()
            && u.maxOff() == 1,
        u.toString());
    assertKeyRecovered(attack(small, Leak.FLOAT32, 1));
  }

  /**
   * (d) Noise of deviation 2^-10 per value is 2^20 units at scale 2^30, whatever size the server
   * makes the values: almost no coefficient of the guess of m + e is right and the key is hidden.
   */
  @Test
  void theDefaultLogitNoiseHidesTheKey() {
    for (Ciphertext ct : new Ciphertext[] {masked, unmasked, small}) {
      Outcome o = attack(ct, Leak.FLOAT32_NOISE, 2);
      assertKeyHidden(o);
      assertTrue(o.exactCoefficients() <= 16 && o.maxOff() > 1000, o.toString());
    }
  }
}
