package dev.splitlearn.he.ckks;

import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.ParametersLiteral;

/**
 * Named CKKS parameter sets. Each is a {@link ParametersLiteral}; build it with {@link
 * Parameters#fromLiteral}, which validates it (all sets here are within the HE-standard 128-bit
 * bound for a ternary secret, sigma 3.2). The test suite builds every set.
 */
public final class ParameterSets {

  /**
   * SEAL-equivalent benchmark set: N = 8192 (4096 slots), Q = [60, 40, 40] (two rescales), P =
   * [60], scale 2^40; log2(QP) = 200 &lt;= 218.
   */
  public static final ParametersLiteral N8192_QP_60_40_40_60 =
      ParametersLiteral.of(13, new int[] {60, 40, 40}, new int[] {60}, 40);

  /**
   * Larger benchmark set: N = 16384 (8192 slots), Q = [60, 40 x 7] (seven rescales), P = [60],
   * scale 2^40; log2(QP) = 400 &lt;= 438.
   */
  public static final ParametersLiteral N16384_QP_60_40X7_60 =
      ParametersLiteral.of(14, new int[] {60, 40, 40, 40, 40, 40, 40, 40}, new int[] {60}, 40);

  /**
   * Compact set for the split-learning linear layer: N = 8192 (4096 slots), Q = [45, 30], P = [55],
   * scale 2^30; log2(QP) = 130 &lt;= 218.
   *
   * <p>Activations are encrypted at level 1 and scale 2^30; the server multiplies by weights
   * encoded at scale q_1 and rescales, so results are at level 0 with scale 2^30 and 15 bits of
   * headroom in q_0 ~ 2^45 (slot values must stay below about 2^14 in magnitude). Serialized sizes:
   * a fresh seeded ciphertext is 76,857 bytes (8192 x 75 bits + 32-byte seed + 25 bytes of header
   * and checksum); a level-0 result is 92,185 bytes. The batched linear layer (B = 64, d = 256, m =
   * 5) reaches 15 bits of absolute precision on the logits.
   */
  public static final ParametersLiteral SPLIT_N8192_Q45_30_P55 =
      ParametersLiteral.of(13, new int[] {45, 30}, new int[] {55}, 30);

  /**
   * Smaller compact set for the split-learning linear layer: N = 4096 (2048 slots), Q = [45, 30],
   * no P (the linear layer needs no key switching, so the set has no evaluation keys), scale 2^30;
   * log2(Q) = 75 &lt;= 109. Same precision budget as {@link #SPLIT_N8192_Q45_30_P55}; with half the
   * slots a level-0 result carries half as many partial sums per sample, so the returned logits
   * cost half as many bytes.
   */
  public static final ParametersLiteral SPLIT_N4096_Q45_30 =
      ParametersLiteral.of(12, new int[] {45, 30}, new int[] {}, 30);

  /**
   * Small set for tests and quick experiments: N = 4096 (2048 slots), Q = [40, 30], P = [39], scale
   * 2^30; log2(QP) = 109 (exactly the 128-bit limit for logN = 12).
   */
  public static final ParametersLiteral N4096_Q40_30_P39 =
      ParametersLiteral.of(12, new int[] {40, 30}, new int[] {39}, 30);

  private ParameterSets() {}
}
