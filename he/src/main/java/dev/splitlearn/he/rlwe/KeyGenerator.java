package dev.splitlearn.he.rlwe;

import dev.splitlearn.he.ring.Automorphism;
import dev.splitlearn.he.ring.Modulus;
import dev.splitlearn.he.ring.Poly;
import dev.splitlearn.he.ring.Prng;
import dev.splitlearn.he.ring.Ring;
import dev.splitlearn.he.ring.Samplers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Generates secret, public and evaluation keys. Secrets and errors come from an AES-CTR stream
 * seeded by {@link java.security.SecureRandom}; public {@code a} parts from fresh 32-byte seeds.
 *
 * <p>Not thread-safe (it owns a random stream); use one instance per thread.
 */
public final class KeyGenerator {

  private final Parameters params;
  private final Ring ring;
  private final Prng prng = Prng.fromSecureRandom();
  private final long[] small;

  /**
   * @param params the parameters
   */
  public KeyGenerator(Parameters params) {
    this.params = params;
    this.ring = params.ring();
    this.small = new long[ring.n()];
  }

  private int lastRow() {
    return ring.moduliCount() - 1;
  }

  /**
   * @return a new secret key with uniform ternary coefficients
   */
  public SecretKey genSecretKey() {
    Samplers.ternary(prng, small);
    Poly s = ring.newPoly();
    ring.setSigned(lastRow(), small, s);
    ring.ntt(lastRow(), s);
    return new SecretKey(params, s);
  }

  /** Samples a fresh error polynomial in NTT form over all rows. */
  private Poly errorNtt() {
    Samplers.gaussian(prng, params.sigma(), params.errorBound(), small);
    Poly e = ring.newPoly();
    ring.setSigned(lastRow(), small, e);
    ring.ntt(lastRow(), e);
    return e;
  }

  /**
   * @param sk the secret key
   * @return a public key {@code (-a s + e, a)} over Q and P
   */
  public PublicKey genPublicKey(SecretKey sk) {
    checkParams(sk, "genPublicKey");
    byte[] seed = Prng.newSeed();
    int[] rows = SwitchingKey.allRows(params);
    Poly a = ring.newPoly();
    Uniform.expand(ring, seed, 0, rows, a);
    Poly b = errorNtt();
    Poly as = ring.newPoly();
    ring.mulCoeffs(lastRow(), a, sk.value(), as);
    ring.sub(lastRow(), b, as, b);
    return new PublicKey(params, seed, b, a);
  }

  /**
   * @param sk the secret key
   * @return the key switching {@code s^2 -> s}
   * @throws IllegalStateException if the parameters have no special primes P
   */
  public RelinearizationKey genRelinearizationKey(SecretKey sk) {
    checkParams(sk, "genRelinearizationKey");
    Poly s2 = ring.newPoly();
    ring.mulCoeffs(lastRow(), sk.value(), sk.value(), s2);
    return new RelinearizationKey(genSwitchingKey(s2, sk.value(), "genRelinearizationKey"));
  }

  /**
   * @param sk the secret key
   * @param galEl odd Galois element in [1, 2N)
   * @return the key switching {@code s(X^galEl) -> s}
   * @throws IllegalArgumentException if galEl is invalid
   * @throws IllegalStateException if the parameters have no special primes P
   */
  public GaloisKey genGaloisKey(SecretKey sk, long galEl) {
    checkParams(sk, "genGaloisKey");
    int[] index = Automorphism.nttIndex(params.logN(), galEl);
    Poly sigmaS = ring.newPoly();
    ring.permuteNtt(lastRow(), sk.value(), index, sigmaS);
    return new GaloisKey(galEl, genSwitchingKey(sigmaS, sk.value(), "genGaloisKey"));
  }

  /**
   * @param sk the secret key
   * @param rotations slot rotation amounts (negative allowed; duplicates and multiples of N/2 are
   *     skipped)
   * @return one Galois key per distinct non-trivial rotation
   */
  public List<GaloisKey> genRotationKeys(SecretKey sk, int... rotations) {
    Set<Long> els = new LinkedHashSet<>();
    for (int k : rotations) {
      long g = params.galoisElementForRotation(k);
      if (g != 1) {
        els.add(g);
      }
    }
    List<GaloisKey> keys = new ArrayList<>();
    for (long g : els) {
      keys.add(genGaloisKey(sk, g));
    }
    return keys;
  }

  /**
   * @param sk the secret key
   * @param relinearize whether to include a relinearisation key
   * @param rotations slot rotations to support
   * @return the evaluation key set
   */
  public EvaluationKeySet genEvaluationKeys(SecretKey sk, boolean relinearize, int... rotations) {
    return new EvaluationKeySet(
        relinearize ? genRelinearizationKey(sk) : null, genRotationKeys(sk, rotations));
  }

  private SwitchingKey genSwitchingKey(Poly sIn, Poly sOut, String op) {
    if (params.pCount() == 0) {
      throw new IllegalStateException(
          "cannot " + op + ": parameters have no special primes P for key switching");
    }
    byte[] seed = Prng.newSeed();
    int digits = params.qCount();
    int[] rows = SwitchingKey.allRows(params);
    Poly[] b = new Poly[digits];
    Poly[] a = new Poly[digits];
    for (int i = 0; i < digits; i++) {
      a[i] = ring.newPoly();
      Uniform.expand(ring, seed, i + 1, rows, a[i]);
      b[i] = errorNtt();
      Poly as = ring.newPoly();
      ring.mulCoeffs(lastRow(), a[i], sOut, as);
      ring.sub(lastRow(), b[i], as, b[i]);
      Modulus mi = ring.modulus(i);
      long pModQi = 1;
      for (int j = 0; j < params.pCount(); j++) {
        pModQi = mi.mul(pModQi, mi.reduce(params.p(j)));
      }
      long[] bi = b[i].coeffs()[i];
      long[] si = sIn.coeffs()[i];
      for (int k = 0; k < bi.length; k++) {
        bi[k] = mi.add(bi[k], mi.mul(si[k], pModQi));
      }
    }
    return new SwitchingKey(params, seed, b, a);
  }

  private void checkParams(SecretKey sk, String op) {
    if (sk.params().id() != params.id()) {
      throw new IllegalArgumentException(
          "cannot " + op + ": secret key was made for other parameters");
    }
  }
}
