package dev.splitlearn.bench.he;

import dev.splitlearn.he.ckks.Encoder;
import dev.splitlearn.he.ckks.Evaluator;
import dev.splitlearn.he.rlwe.Ciphertext;
import dev.splitlearn.he.rlwe.Decryptor;
import dev.splitlearn.he.rlwe.Encryptor;
import dev.splitlearn.he.rlwe.EvaluationKeySet;
import dev.splitlearn.he.rlwe.KeyGenerator;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.Plaintext;
import dev.splitlearn.he.rlwe.SecretKey;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * CKKS operations at the top level, as in SEAL's sealbench ("CKKS / EncryptPublic",
 * "MultiplyPlain", ...). Inputs are fresh ciphertexts at level L; outputs go to preallocated
 * buffers.
 */
public class CkksBenchmark extends AbstractPrimitiveBenchmark {

  private Encoder encoder;
  private Encryptor pkEncryptor;
  private Encryptor skEncryptor;
  private Decryptor decryptor;
  private Evaluator evaluator;
  private double[] values;
  private double[] decoded;
  private Plaintext pt;
  private Plaintext ptOut;
  private Ciphertext ct;
  private Ciphertext ct2;
  private Ciphertext product;
  private Ciphertext tmp;
  private Ciphertext out;

  /** Generates keys and inputs. */
  @Setup
  public void setup() {
    Parameters params = parameters();
    KeyGenerator kg = new KeyGenerator(params);
    SecretKey sk = kg.genSecretKey();
    EvaluationKeySet keys = kg.genEvaluationKeys(sk, true, 1);
    encoder = new Encoder(params);
    pkEncryptor = new Encryptor(params, kg.genPublicKey(sk));
    skEncryptor = new Encryptor(params, sk);
    decryptor = new Decryptor(params, sk);
    evaluator = new Evaluator(params, keys);
    Random rnd = new Random(42);
    values = new double[params.slots()];
    for (int i = 0; i < values.length; i++) {
      values[i] = 2 * rnd.nextDouble() - 1;
    }
    decoded = new double[params.slots()];
    int level = params.maxLevel();
    pt = encoder.encodeNew(values, level, params.defaultScale());
    ptOut = new Plaintext(params, level, params.defaultScale());
    ct = pkEncryptor.encryptNew(pt);
    ct2 = pkEncryptor.encryptNew(pt);
    product = evaluator.mulRelinNew(ct, ct2);
    tmp = new Ciphertext(params, 1, level);
    out = new Ciphertext(params, 1, level);
  }

  /**
   * @return the plaintext
   */
  @Benchmark
  public Plaintext encode() {
    encoder.encode(values, ptOut);
    return ptOut;
  }

  /**
   * @return the decoded slots
   */
  @Benchmark
  public double[] decode() {
    encoder.decode(pt, decoded);
    return decoded;
  }

  /**
   * @return the ciphertext
   */
  @Benchmark
  public Ciphertext encryptPublic() {
    pkEncryptor.encrypt(pt, out);
    return out;
  }

  /**
   * @return the (seeded) ciphertext
   */
  @Benchmark
  public Ciphertext encryptSecret() {
    skEncryptor.encrypt(pt, out);
    return out;
  }

  /**
   * @return the plaintext
   */
  @Benchmark
  public Plaintext decrypt() {
    decryptor.decrypt(ct, ptOut);
    return ptOut;
  }

  /**
   * @return ct * pt
   */
  @Benchmark
  public Ciphertext multiplyPlain() {
    evaluator.mul(ct, pt, out);
    return out;
  }

  /**
   * @return the rescaled product
   */
  @Benchmark
  public Ciphertext rescale() {
    evaluator.rescale(product, out);
    return out;
  }

  /**
   * @return ct rotated by one slot
   */
  @Benchmark
  public Ciphertext rotate() {
    evaluator.rotate(ct, 1, out);
    return out;
  }

  /**
   * @return rescale(relinearize(ct * ct2))
   */
  @Benchmark
  public Ciphertext multiplyRelinRescale() {
    evaluator.mulRelin(ct, ct2, tmp);
    evaluator.rescale(tmp, out);
    return out;
  }
}
