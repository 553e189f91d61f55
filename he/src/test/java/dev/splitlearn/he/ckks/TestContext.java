package dev.splitlearn.he.ckks;

import dev.splitlearn.he.rlwe.Ciphertext;
import dev.splitlearn.he.rlwe.Decryptor;
import dev.splitlearn.he.rlwe.Encryptor;
import dev.splitlearn.he.rlwe.EvaluationKeySet;
import dev.splitlearn.he.rlwe.KeyGenerator;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.ParametersLiteral;
import dev.splitlearn.he.rlwe.Plaintext;
import dev.splitlearn.he.rlwe.PublicKey;
import dev.splitlearn.he.rlwe.SecretKey;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One parameter set with keys, encoder, encryptors, decryptor and evaluator, shared by the tests
 * (like lattigo's {@code testContext}). Contexts are cached per literal.
 */
public final class TestContext {

  /** Rotations with Galois keys in every context. */
  public static final int[] ROTATIONS = {1, 2, 3, 4, 8, 16, -1, -5, 100};

  /** Three-level N=4096 set for multi-rescale tests (109 bits, the limit at logN=12). */
  public static final ParametersLiteral N4096_Q30_25_25_P29 =
      ParametersLiteral.of(12, new int[] {30, 25, 25}, new int[] {29}, 25);

  private static final Map<String, TestContext> CACHE = new ConcurrentHashMap<>();

  public final String name;
  public final Parameters params;
  public final SecretKey sk;
  public final PublicKey pk;
  public final EvaluationKeySet keys;
  public final Encoder encoder;
  public final Encryptor pkEncryptor;
  public final Encryptor skEncryptor;
  public final Decryptor decryptor;
  public final Evaluator evaluator;

  private TestContext(String name, ParametersLiteral literal) {
    this.name = name;
    this.params = Parameters.fromLiteral(literal);
    KeyGenerator kg = new KeyGenerator(params);
    this.sk = kg.genSecretKey();
    this.pk = kg.genPublicKey(sk);
    this.keys = kg.genEvaluationKeys(sk, true, ROTATIONS);
    this.encoder = new Encoder(params);
    this.pkEncryptor = new Encryptor(params, pk);
    this.skEncryptor = new Encryptor(params, sk);
    this.decryptor = new Decryptor(params, sk);
    this.evaluator = new Evaluator(params, keys);
  }

  /**
   * @param name display name
   * @param literal parameters
   * @return the cached context
   */
  public static synchronized TestContext of(String name, ParametersLiteral literal) {
    return CACHE.computeIfAbsent(name, k -> new TestContext(name, literal));
  }

  /**
   * @return the small contexts used by most tests
   */
  public static Stream<TestContext> small() {
    return Stream.of(
        of("N4096_Q40_30_P39", ParameterSets.N4096_Q40_30_P39),
        of("N4096_Q30_25_25_P29", N4096_Q30_25_25_P29));
  }

  /**
   * @return small contexts plus the N=8192 SEAL-equivalent set
   */
  public static Stream<TestContext> all() {
    return Stream.concat(
        small(), Stream.of(of("N8192_QP_60_40_40_60", ParameterSets.N8192_QP_60_40_40_60)));
  }

  @Override
  public String toString() {
    return name;
  }

  /** Complex test vector with entries uniform in [-bound, bound]. */
  public static final class Values {
    public final double[] re;
    public final double[] im;

    public Values(double[] re, double[] im) {
      this.re = re;
      this.im = im;
    }
  }

  /**
   * @param rnd random source
   * @param bound magnitude bound
   * @return random complex values filling all slots
   */
  public Values randomValues(Random rnd, double bound) {
    int n = params.slots();
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0; i < n; i++) {
      re[i] = (2 * rnd.nextDouble() - 1) * bound;
      im[i] = (2 * rnd.nextDouble() - 1) * bound;
    }
    return new Values(re, im);
  }

  /**
   * Encodes at the given level and the default scale, then encrypts with the secret or public key.
   */
  public Ciphertext encrypt(Values v, int level, boolean secretKey) {
    Plaintext pt = new Plaintext(params, level, params.defaultScale());
    encoder.encode(v.re, v.im, pt);
    return (secretKey ? skEncryptor : pkEncryptor).encryptNew(pt);
  }

  /** Decrypts and decodes all slots. */
  public Values decrypt(Ciphertext ct) {
    Plaintext pt = decryptor.decryptNew(ct);
    double[] re = new double[params.slots()];
    double[] im = new double[params.slots()];
    encoder.decode(pt, re, im);
    return new Values(re, im);
  }

  /**
   * @return -log2 of the maximum absolute slot error (bits of precision)
   */
  public static double precisionBits(Values expected, Values actual) {
    double max = 0;
    for (int i = 0; i < expected.re.length; i++) {
      max = Math.max(max, Math.abs(expected.re[i] - actual.re[i]));
      max = Math.max(max, Math.abs(expected.im[i] - actual.im[i]));
    }
    return -Math.log(max) / Math.log(2);
  }

  /**
   * @return the list of small and large contexts, for parameterised tests
   */
  public static List<TestContext> list() {
    return all().toList();
  }
}
