package dev.splitlearn.attacks;

/**
 * The reconstruction of an attacker who learns nothing from the activations but each sample's
 * label: the mean of the leaked inputs of that class. Any activation that lets a model classify
 * lets an inversion get about this far, so it is the floor a defense that keeps accuracy can push
 * an inversion's score towards, next to {@link ReconstructionScore}'s mean guess (no label at all).
 */
public final class LabelOnlyBaseline {
  private LabelOnlyBaseline() {}

  /**
   * Reconstructs the held-out samples {@code leaked..n-1} from the class means of samples {@code
   * 0..leaked-1}; a class without a leaked sample gets the mean of all leaked samples.
   *
   * @param x inputs, {@code n * xLength} values
   * @param labels the class of each of the {@code n} samples, each &gt;= 0
   * @return {@code (n - leaked) * xLength} values, held-out sample {@code i} at {@code i * xLength}
   */
  public static float[] reconstruct(float[] x, int xLength, int[] labels, int n, int leaked) {
    if (leaked < 1 || leaked >= n || labels.length < n || x.length < (long) n * xLength) {
      throw new IllegalArgumentException(
          "label-only baseline: need 1 <= leaked < n and n labels and inputs, got leaked "
              + leaked
              + ", n "
              + n
              + ", "
              + labels.length
              + " labels");
    }
    int classes = 0;
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException("label-only baseline: negative label " + labels[i]);
      }
      classes = Math.max(classes, labels[i] + 1);
    }
    double[][] sums = new double[classes + 1][xLength]; // the last row: every leaked sample
    int[] counts = new int[classes + 1];
    for (int i = 0; i < leaked; i++) {
      for (int row : new int[] {labels[i], classes}) {
        counts[row]++;
        for (int k = 0; k < xLength; k++) {
          sums[row][k] += x[i * xLength + k];
        }
      }
    }
    float[] out = new float[(n - leaked) * xLength];
    for (int i = leaked; i < n; i++) {
      int row = counts[labels[i]] > 0 ? labels[i] : classes;
      for (int k = 0; k < xLength; k++) {
        out[(i - leaked) * xLength + k] = (float) (sums[row][k] / counts[row]);
      }
    }
    return out;
  }
}
