package dev.splitlearn.he.linalg;

import dev.splitlearn.he.ckks.Encoder;
import dev.splitlearn.he.rlwe.Ciphertext;
import dev.splitlearn.he.rlwe.Decryptor;
import dev.splitlearn.he.rlwe.Encryptor;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.Plaintext;
import dev.splitlearn.he.rlwe.SecretKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Client side of the batched linear layer: encrypts a batch of activations in the {@link
 * BatchLayout} (secret-key, seeded, compact ciphertexts at the top level and the default scale) and
 * decrypts the logits returned by {@link BatchedLinearLayer}.
 *
 * <p>Not thread-safe (encoder and encryptor buffers); create one per thread.
 */
public final class BatchClient {

  private final Parameters params;
  private final Encoder encoder;
  private final Encryptor encryptor;
  private final Decryptor decryptor;

  /**
   * @param params parameters with at least two Q primes (one rescale)
   * @param sk the client's secret key
   * @throws IllegalArgumentException if the parameters have a single Q prime
   */
  public BatchClient(Parameters params, SecretKey sk) {
    if (params.maxLevel() < 1) {
      throw new IllegalArgumentException(
          "cannot create BatchClient: parameters need at least 2 Q primes, have "
              + params.qCount());
    }
    this.params = params;
    this.encoder = new Encoder(params);
    this.encryptor = new Encryptor(params, sk);
    this.decryptor = new Decryptor(params, sk);
  }

  /**
   * Encrypts activations given as rows.
   *
   * @param activations B rows of d values
   * @param batchSize B
   * @param features d
   * @return ceil(d / g) seeded ciphertexts at level L and scale 2^logDefaultScale
   * @throws IllegalArgumentException if the shape does not match B x d or B exceeds the slots
   */
  public List<Ciphertext> encryptBatch(float[][] activations, int batchSize, int features) {
    if (activations.length != batchSize) {
      throw new IllegalArgumentException(
          "cannot encryptBatch: " + activations.length + " rows, expected B=" + batchSize);
    }
    double[] flat = new double[batchSize * features];
    for (int i = 0; i < batchSize; i++) {
      if (activations[i].length != features) {
        throw new IllegalArgumentException(
            "cannot encryptBatch: row "
                + i
                + " has "
                + activations[i].length
                + " values, expected d="
                + features);
      }
      for (int j = 0; j < features; j++) {
        flat[i * features + j] = activations[i][j];
      }
    }
    return encryptBatch(flat, batchSize, features);
  }

  /**
   * Encrypts activations given row-major ({@code a[i * d + j]}).
   *
   * @param activations B * d values, row-major
   * @param batchSize B
   * @param features d
   * @return ceil(d / g) seeded ciphertexts at level L and scale 2^logDefaultScale
   * @throws IllegalArgumentException if the length is not B * d, B exceeds the slots or a value is
   *     not finite
   */
  public List<Ciphertext> encryptBatch(double[] activations, int batchSize, int features) {
    BatchLayout layout = BatchLayout.of(params.slots(), batchSize, features);
    if (activations.length != (long) batchSize * features) {
      throw new IllegalArgumentException(
          "cannot encryptBatch: "
              + activations.length
              + " values, expected B*d="
              + (long) batchSize * features);
    }
    int level = params.maxLevel();
    List<Ciphertext> out = new ArrayList<>(layout.ciphertexts());
    double[] slots = new double[params.slots()];
    for (int c = 0; c < layout.ciphertexts(); c++) {
      java.util.Arrays.fill(slots, 0.0);
      int first = c * layout.groups();
      int last = Math.min(features, first + layout.groups());
      for (int j = first; j < last; j++) {
        for (int i = 0; i < batchSize; i++) {
          double v = activations[i * features + j];
          if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(
                "cannot encryptBatch: activation [" + i + "][" + j + "] is " + v);
          }
          slots[layout.slotOf(i, j)] = v;
        }
      }
      Plaintext pt = new Plaintext(params, level, params.defaultScale());
      encoder.encode(slots, pt);
      out.add(encryptor.encryptNew(pt));
    }
    return out;
  }

  /**
   * Decrypts the layer output: {@code z[i][k] = sum_{j' < g} slot (i * g + j')} of ciphertext
   * {@code k / 2}, real part for even k, imaginary part for odd k.
   *
   * @param logits the {@link BatchedLinearLayer#outputCiphertexts}(m) ciphertexts returned by
   *     {@link BatchedLinearLayer#evaluate}
   * @param batchSize B
   * @param outputs m
   * @return z as B rows of m values
   * @throws IllegalArgumentException if the number of ciphertexts does not match m
   * @throws ArithmeticException if a slot exceeds three quarters of the output capacity: the
   *     server's partial sums (or masks) overflowed the modulus and the logits are garbage
   */
  public double[][] decryptLogits(List<Ciphertext> logits, int batchSize, int outputs) {
    if (logits.size() != BatchedLinearLayer.outputCiphertexts(outputs)) {
      throw new IllegalArgumentException(
          "cannot decryptLogits: "
              + logits.size()
              + " ciphertexts, expected "
              + BatchedLinearLayer.outputCiphertexts(outputs)
              + " for m="
              + outputs);
    }
    BatchLayout layout = BatchLayout.of(params.slots(), batchSize, 1);
    double[][] z = new double[batchSize][outputs];
    double[] re = new double[params.slots()];
    double[] im = new double[params.slots()];
    // legitimate slots hold a partial sum (|s| <= capacity / 2 promised) plus a mask (<= capacity /
    // 4)
    double limit = BatchedLinearLayer.capacity(params) * 3 / 4;
    for (int p = 0; p < logits.size(); p++) {
      encoder.decode(decryptor.decryptNew(logits.get(p)), re, im);
      checkRange(re, im, limit);
      for (int k = 2 * p; k < Math.min(outputs, 2 * p + 2); k++) {
        double[] part = k == 2 * p ? re : im;
        for (int i = 0; i < batchSize; i++) {
          double s = 0;
          for (int g = 0; g < layout.groups(); g++) {
            s += part[layout.slotOf(i, g)];
          }
          z[i][k] = s;
        }
      }
    }
    return z;
  }

  /**
   * Values past three quarters of the capacity mean the modulus wrapped: legitimate ones (partial
   * sums up to half the capacity, masks up to a quarter) stay below. A wrap is caught unless every
   * wrapped slot happens to land within the limit, which varying values make unlikely (a batch of
   * identical values can slip through).
   */
  private static void checkRange(double[] re, double[] im, double limit) {
    for (int s = 0; s < re.length; s++) {
      double v = Math.max(Math.abs(re[s]), Math.abs(im[s]));
      if (!(v <= limit)) {
        throw new ArithmeticException(
            "cannot decryptLogits: slot "
                + s
                + " holds "
                + v
                + ", beyond three quarters of the capacity, "
                + limit
                + ", of the output level: the layer overflowed "
                + "(activations or weights too large for these parameters)");
      }
    }
  }

  /**
   * Decrypts and decodes all slots of one ciphertext (for inspection and tests).
   *
   * @param ct the ciphertext
   * @return the real parts of the N/2 slots
   */
  public double[] decryptSlots(Ciphertext ct) {
    return encoder.decodeNew(decryptor.decryptNew(ct));
  }
}
