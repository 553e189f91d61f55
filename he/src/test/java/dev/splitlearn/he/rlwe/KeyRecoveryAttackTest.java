package dev.splitlearn.he.rlwe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.he.ckks.ParameterSets;
import dev.splitlearn.he.ring.Prng;
import dev.splitlearn.he.ring.Ring;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Point 1 of issue 12 as a regression test: the one-ciphertext key recovery {@code s = (m - c0) /
 * c1} ({@link KeyRecovery}) recovers the key from a zero-error ciphertext, and fails against the
 * encryptor with the default error (sigma 3.2) even when the plaintext is known exactly. Widths
 * below 3.19, where the error would round to zero, are refused by {@link Parameters} ({@code
 * ParametersTest.anErrorNarrowerThanTheStandardsIsRefused}).
 */
class KeyRecoveryAttackTest {

  /**
   * Matches a uniform candidate may have by chance: N / q_0 are expected (2^-32 at N = 8192, q_0 ~
   * 2^45), so more than one would mean the candidate is not uniform.
   */
  private static final int CHANCE_BOUND = 1;

  /** The split-he sets: n4096 (the default) and n8192. */
  static Stream<ParametersLiteral> splitSets() {
    return Stream.of(ParameterSets.SPLIT_N4096_Q45_30, ParameterSets.SPLIT_N8192_Q45_30_P55);
  }

  /**
   * A known plaintext: N integers in [-2^20, 2^20], the size of CKKS-encoded values at scale 2^30.
   */
  private static long[] knownMessage(int n, long seed) {
    Random r = new Random(seed);
    long[] m = new long[n];
    for (int k = 0; k < n; k++) {
      m[k] = r.nextInt(1 << 21 | 1) - (1 << 20);
    }
    return m;
  }

  private static Plaintext plaintext(Parameters params, int level, long[] m) {
    Plaintext pt = new Plaintext(params, level, params.defaultScale());
    params.ring().setSigned(level, m, pt.value());
    params.ring().ntt(level, pt.value());
    return pt;
  }

  /**
   * (c0, c1) = (-c1 s + m, c1) with c1 uniform and no error at all: what sigma below 1/6 would
   * produce.
   */
  private static Ciphertext zeroErrorEncryption(
      Parameters params, SecretKey sk, int level, long[] m) {
    Ring ring = params.ring();
    Ciphertext ct = new Ciphertext(params, 1, level);
    Uniform.expand(ring, Prng.newSeed(), 0, Wire.range(0, level), ct.value(1));
    Plaintext pt = plaintext(params, level, m);
    ring.mulCoeffs(level, ct.value(1), sk.value(), ct.value(0));
    ring.sub(level, pt.value(), ct.value(0), ct.value(0));
    return ct;
  }

  @ParameterizedTest
  @MethodSource("splitSets")
  void aZeroErrorCiphertextGivesTheKeyAway(ParametersLiteral lit) {
    Parameters params = Parameters.fromLiteral(lit);
    SecretKey sk = new KeyGenerator(params).genSecretKey();
    long[] m = knownMessage(params.n(), 1);
    Ciphertext ct = zeroErrorEncryption(params, sk, params.maxLevel(), m);
    assertArrayEquals(
        m,
        KeyRecovery.coefficients(new Decryptor(params, sk).decryptNew(ct)),
        "the hand-made ciphertext must decrypt to m exactly");

    KeyRecovery.Score score = KeyRecovery.attack(sk, ct, m);
    System.out.printf(
        "KeyRecoveryAttackTest N=%d: zero error, known plaintext: %s%n", params.n(), score);
    assertTrue(score.exact(), score.toString());
    assertTrue(score.ternary(), score.toString());
  }

  @ParameterizedTest
  @MethodSource("splitSets")
  void theDefaultErrorDefeatsAKnownPlaintextAttack(ParametersLiteral lit) {
    Parameters params = Parameters.fromLiteral(lit);
    SecretKey sk = new KeyGenerator(params).genSecretKey();
    long[] m = knownMessage(params.n(), 2);
    Ciphertext ct = new Encryptor(params, sk).encryptNew(plaintext(params, params.maxLevel(), m));

    KeyRecovery.Score known = KeyRecovery.attack(sk, ct, m);
    System.out.printf(
        "KeyRecoveryAttackTest N=%d: sigma %.1f, plaintext known exactly: %s%n",
        params.n(), params.sigma(), known);
    assertTrue(known.matches() <= CHANCE_BOUND, known.toString());
    assertFalse(known.ternary(), known.toString());

    // the control: only the error stands in the way; knowing m + e (the decryption) gives the key
    // back
    long[] decrypted = KeyRecovery.coefficients(new Decryptor(params, sk).decryptNew(ct));
    long maxError = 0;
    for (int k = 0; k < m.length; k++) {
      maxError = Math.max(maxError, Math.abs(decrypted[k] - m[k]));
    }
    KeyRecovery.Score withError = KeyRecovery.attack(sk, ct, decrypted);
    System.out.printf(
        "KeyRecoveryAttackTest N=%d: error max |e| %d; with m + e known: %s%n",
        params.n(), maxError, withError);
    assertTrue(maxError > 0 && maxError <= params.errorBound(), "max |e| " + maxError);
    assertTrue(withError.exact(), withError.toString());
  }
}
