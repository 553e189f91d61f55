package dev.splitlearn.he.linalg;

/**
 * Slot layout of a batch of activation vectors for the rotation-free linear layer.
 *
 * <p>With {@code n} slots, batch size {@code B} padded to {@code Bp} (next power of two, at most n)
 * and {@code g = n / Bp} feature groups per ciphertext, activation {@code A[i][j]} (sample {@code i
 * < B}, feature {@code j < d}) is in ciphertext {@code c = j / g} at slot {@code s = i * g + (j mod
 * g)}: sample-major, so a sample's {@code g} features are neighbours and a vector that depends only
 * on the feature repeats with period {@code g} (which {@link
 * dev.splitlearn.he.ckks.PeriodicEncoder} encodes fast). Unused slots are 0. A batch takes {@code
 * ceil(d / g)} ciphertexts (B = 64, d = 256, N = 8192: 4 ciphertexts). Immutable.
 */
public final class BatchLayout {

  private final int slots;
  private final int batchSize;
  private final int paddedBatch;
  private final int groups;
  private final int features;

  private BatchLayout(int slots, int batchSize, int features) {
    this.slots = slots;
    this.batchSize = batchSize;
    this.paddedBatch =
        Integer.highestOneBit(batchSize) == batchSize
            ? batchSize
            : Integer.highestOneBit(batchSize) << 1;
    this.groups = slots / paddedBatch;
    this.features = features;
  }

  /**
   * @param slots number of CKKS slots n (a power of two)
   * @param batchSize B, in [1, n]
   * @param features d, at least 1
   * @return the layout
   * @throws IllegalArgumentException if B or d is out of range
   */
  public static BatchLayout of(int slots, int batchSize, int features) {
    if (slots < 1 || Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException(
          "invalid BatchLayout: slots " + slots + " is not a power of two");
    }
    if (batchSize < 1 || batchSize > slots) {
      throw new IllegalArgumentException(
          "invalid BatchLayout: batch size " + batchSize + " is outside [1, " + slots + "]");
    }
    if (features < 1) {
      throw new IllegalArgumentException(
          "invalid BatchLayout: features " + features + " must be at least 1");
    }
    return new BatchLayout(slots, batchSize, features);
  }

  /**
   * @return the number of slots n
   */
  public int slots() {
    return slots;
  }

  /**
   * @return the batch size B
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * @return Bp, the batch size rounded up to a power of two
   */
  public int paddedBatch() {
    return paddedBatch;
  }

  /**
   * @return g = n / Bp, the feature groups per ciphertext
   */
  public int groups() {
    return groups;
  }

  /**
   * @return the number of features d
   */
  public int features() {
    return features;
  }

  /**
   * @return ceil(d / g), the ciphertexts per batch
   */
  public int ciphertexts() {
    return (features + groups - 1) / groups;
  }

  /**
   * @param feature j in [0, d)
   * @return the ciphertext holding feature j
   */
  public int ciphertextOf(int feature) {
    return feature / groups;
  }

  /**
   * @param sample i in [0, B)
   * @param feature j in [0, d)
   * @return the slot of A[i][j] within its ciphertext
   */
  public int slotOf(int sample, int feature) {
    return sample * groups + feature % groups;
  }

  @Override
  public String toString() {
    return "BatchLayout{n="
        + slots
        + ", B="
        + batchSize
        + ", Bp="
        + paddedBatch
        + ", g="
        + groups
        + ", d="
        + features
        + ", ciphertexts="
        + ciphertexts()
        + "}";
  }
}
