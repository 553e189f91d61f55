package dev.splitlearn.he.linalg;

import dev.splitlearn.he.ckks.Encoder;
import dev.splitlearn.he.ckks.Evaluator;
import dev.splitlearn.he.ckks.PeriodicEncoder;
import dev.splitlearn.he.ring.Prng;
import dev.splitlearn.he.rlwe.Ciphertext;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.Plaintext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Server side of the batched linear layer {@code z = W a + b} on encrypted activations, without
 * rotations.
 *
 * <p>For each output {@code k < m}: {@code P_k = sum_c ct_c * pt(W_k on ciphertext c's features)},
 * one rescale, then {@code + pt(b_k in slots i < B) [+ R_k]}. Weights are encoded at scale {@code
 * q_l} (the prime the rescale removes), so results come back at level {@code l - 1} with the input
 * scale. Slot {@code i g + j'} of {@code P_k} holds the partial sum {@code sum_c W[k][c g + j']
 * A[i][c g + j']}; the client sums the {@code g} groups (see {@link BatchClient#decryptLogits}). In
 * the sample-major layout ({@link BatchLayout}) a weight plaintext repeats with period g, so {@link
 * PeriodicEncoder} encodes it without a full FFT and NTT. Slots are complex and the activations
 * real, so outputs {@code 2p} and {@code 2p + 1} share ciphertext {@code p}: {@code W_2p + i
 * W_2p+1} in one plaintext gives {@code P_2p} in the real parts and {@code P_2p+1} in the imaginary
 * parts. That halves the plaintext encodings, the products, the rescales and the bytes returned.
 *
 * <p><b>Masking partial sums.</b> Without a mask the client learns every partial sum, i.e. finer
 * information than {@code z}. With {@code maskPartialSums} the server adds {@code R_k[i g + j'] =
 * u[j'][i] - u[j'+1 mod g][i]} with {@code u} uniform in {@code [-M, M]} from a {@link
 * java.security.SecureRandom}-seeded stream: each sample's masks sum to exactly zero over the
 * groups, so {@code z} is unchanged, while each slot is shifted by up to {@code 2M}. The default
 * {@code M} is 1/8 of the value capacity {@code Q_{l-1} / (2 scale)} (2^11 for {@link
 * dev.splitlearn.he.ckks.ParameterSets#SPLIT_N8192_Q45_30_P55}), so masks use at most a quarter of
 * the headroom; partial sums must stay within half the capacity (about 8,000 there), which the
 * client's overflow check ({@link BatchClient#decryptLogits}, at three quarters) always accepts.
 * Precision cost: none in the homomorphic noise (errors are absolute, independent of the values);
 * in double-precision decoding the relative error 2^-52 of values of size 2^12 is negligible;
 * measured logit errors with and without masks are the same to within 0.5 bit (see the tests). This
 * is statistical hiding with distance about {@code |partial sum| / M}, not cryptographic hiding.
 *
 * <p>Not thread-safe (evaluator, encoder and random stream); create one per thread.
 */
public final class BatchedLinearLayer {

  private final Parameters params;
  private final Evaluator evaluator;
  private final Encoder encoder;
  private final double maskMagnitude;
  private final Prng prng = Prng.fromSecureRandom();

  /** By period g (one per batch size seen). */
  private final Map<Integer, PeriodicEncoder> periodicEncoders = new HashMap<>();

  /**
   * A layer with the default mask magnitude (1/8 of the value capacity of the output level).
   *
   * @param params parameters with at least two Q primes
   */
  public BatchedLinearLayer(Parameters params) {
    this(params, Double.NaN);
  }

  /**
   * @param params parameters with at least two Q primes
   * @param maskMagnitude M, the bound of the uniform mask components, or NaN for the default
   * @throws IllegalArgumentException if the parameters have a single Q prime or M is negative or
   *     exceeds a quarter of the capacity
   */
  public BatchedLinearLayer(Parameters params, double maskMagnitude) {
    if (params.maxLevel() < 1) {
      throw new IllegalArgumentException(
          "cannot create BatchedLinearLayer: parameters need at least 2 Q primes, have "
              + params.qCount());
    }
    this.params = params;
    this.evaluator = new Evaluator(params);
    this.encoder = new Encoder(params);
    double capacity = capacity(params);
    if (Double.isNaN(maskMagnitude)) {
      this.maskMagnitude = capacity / 8;
    } else {
      if (!(maskMagnitude >= 0) || maskMagnitude > capacity / 4) {
        throw new IllegalArgumentException(
            "cannot create BatchedLinearLayer: mask magnitude "
                + maskMagnitude
                + " is outside [0, "
                + capacity / 4
                + "] (a quarter of the value capacity "
                + capacity
                + ")");
      }
      this.maskMagnitude = maskMagnitude;
    }
  }

  /** Largest |slot value| representable at the output level: Q_{L-1} / (2 * scale). */
  /**
   * @param params the parameters
   * @return the largest |slot value| an output (level L - 1, default scale) holds: Q_{L-1} / (2
   *     scale)
   */
  public static double capacity(Parameters params) {
    double log2 = 0;
    for (int i = 0; i < params.maxLevel(); i++) {
      log2 += Math.log(params.q(i)) / Math.log(2);
    }
    return Math.pow(2, log2 - 1) / params.defaultScale();
  }

  /**
   * @return M, the bound of the mask components
   */
  public double maskMagnitude() {
    return maskMagnitude;
  }

  /**
   * Evaluates {@code z = W a + b} on an encrypted batch.
   *
   * @param batch ceil(d / g) ciphertexts from {@link BatchClient#encryptBatch}, same level (&gt;=
   *     1) and scale
   * @param weights W, m rows of d values
   * @param bias b, m values
   * @param batchSize B
   * @param maskPartialSums whether to add zero-sum masks so that the client learns only the sums
   * @return {@link #outputCiphertexts}(m) ciphertexts at level l - 1 with the input scale, output
   *     2p in the real parts of ciphertext p and output 2p + 1 in its imaginary parts
   * @throws IllegalArgumentException if shapes are inconsistent, the number of ciphertexts is not
   *     ceil(d / g), levels or scales differ, the level is 0, or a weight is not finite
   */
  public List<Ciphertext> evaluate(
      List<Ciphertext> batch,
      double[][] weights,
      double[] bias,
      int batchSize,
      boolean maskPartialSums) {
    int m = weights.length;
    if (m == 0 || bias.length != m) {
      throw new IllegalArgumentException(
          "cannot evaluate linear layer: "
              + m
              + " weight rows and "
              + bias.length
              + " biases (need m >= 1 of each)");
    }
    int d = weights[0].length;
    for (int k = 0; k < m; k++) {
      if (weights[k].length != d) {
        throw new IllegalArgumentException(
            "cannot evaluate linear layer: weight row "
                + k
                + " has "
                + weights[k].length
                + " values, expected d="
                + d);
      }
    }
    BatchLayout layout = BatchLayout.of(params.slots(), batchSize, d);
    if (batch.size() != layout.ciphertexts()) {
      throw new IllegalArgumentException(
          "cannot evaluate linear layer: "
              + batch.size()
              + " ciphertexts, expected ceil(d/g)="
              + layout.ciphertexts()
              + " for "
              + layout);
    }
    Ciphertext first = batch.get(0);
    int level = first.level();
    if (level < 1) {
      throw new IllegalArgumentException(
          "cannot evaluate linear layer: input level is too low (0)");
    }
    for (Ciphertext ct : batch) {
      if (ct.level() != level || ct.scale() != first.scale()) {
        throw new IllegalArgumentException(
            "cannot evaluate linear layer: ciphertexts differ in level or scale ("
                + ct.level()
                + ", "
                + ct.scale()
                + ") vs ("
                + level
                + ", "
                + first.scale()
                + ")");
      }
    }
    double weightScale = params.ring().modulus(level).value();
    int n = params.slots();
    int g = layout.groups();
    PeriodicEncoder periodic =
        periodicEncoders.computeIfAbsent(g, p -> new PeriodicEncoder(params, p));
    double[] wre = new double[g];
    double[] wim = new double[g];
    double[] re = new double[n];
    double[] im = new double[n];
    Plaintext pt = new Plaintext(params, level, weightScale);
    Ciphertext tmp = new Ciphertext(params, 1, level);
    List<Ciphertext> out = new ArrayList<>(outputCiphertexts(m));
    for (int k = 0; k < m; k += 2) {
      // outputs k and k + 1 share a ciphertext: W_k in the real parts, W_{k+1} in the imaginary
      // parts
      boolean pair = k + 1 < m;
      Ciphertext acc = new Ciphertext(params, 1, level);
      pt.setScale(weightScale);
      for (int c = 0; c < layout.ciphertexts(); c++) {
        // the weights depend only on the feature: a vector of period g (padded samples multiply
        // zeros)
        for (int jj = 0; jj < g; jj++) {
          int j = c * g + jj;
          wre[jj] = j < d ? weight(weights, k, j) : 0;
          wim[jj] = j < d && pair ? weight(weights, k + 1, j) : 0;
        }
        periodic.encode(wre, pair ? wim : null, pt);
        if (c == 0) {
          evaluator.mul(batch.get(c), pt, acc);
        } else {
          evaluator.mul(batch.get(c), pt, tmp);
          evaluator.add(acc, tmp, acc);
        }
      }
      evaluator.rescale(acc, acc);
      // bias (and masks) after the rescale: exact at the output scale, and cheap to encode there
      Arrays.fill(re, 0.0);
      Arrays.fill(im, 0.0);
      for (int i = 0; i < batchSize; i++) {
        re[layout.slotOf(i, 0)] = bias[k];
        im[layout.slotOf(i, 0)] = pair ? bias[k + 1] : 0;
      }
      if (maskPartialSums && g > 1) {
        addMask(re, layout);
        if (pair) {
          addMask(im, layout);
        }
      }
      Plaintext biasPt = new Plaintext(params, acc.level(), acc.scale());
      encoder.encode(re, pair ? im : null, biasPt);
      evaluator.add(acc, biasPt, acc);
      out.add(acc);
    }
    return out;
  }

  /**
   * Number of output ciphertexts for {@code m} outputs: two outputs per ciphertext (real and
   * imaginary parts).
   */
  public static int outputCiphertexts(int m) {
    return (m + 1) / 2;
  }

  private static double weight(double[][] weights, int k, int j) {
    double w = weights[k][j];
    if (!Double.isFinite(w)) {
      throw new IllegalArgumentException(
          "cannot evaluate linear layer: weight [" + k + "][" + j + "] is " + w);
    }
    return w;
  }

  /** Adds R[slot(i, j')] = u[j'][i] - u[j'+1 mod g][i], u uniform in [-M, M]. */
  private void addMask(double[] slots, BatchLayout layout) {
    int batchSize = layout.batchSize();
    int g = layout.groups();
    double[] u0 = new double[batchSize];
    double[] prev = new double[batchSize];
    for (int i = 0; i < batchSize; i++) {
      u0[i] = (2 * prng.nextDouble() - 1) * maskMagnitude;
      prev[i] = u0[i];
    }
    for (int jj = 0; jj < g; jj++) {
      for (int i = 0; i < batchSize; i++) {
        double next = jj == g - 1 ? u0[i] : (2 * prng.nextDouble() - 1) * maskMagnitude;
        slots[layout.slotOf(i, jj)] += prev[i] - next;
        prev[i] = next;
      }
    }
  }
}
