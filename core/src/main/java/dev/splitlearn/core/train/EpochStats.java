package dev.splitlearn.core.train;

/**
 * Figures of one epoch.
 *
 * @param phase what was trained: {@code split}, {@code central} or {@code local-N}
 * @param epoch 1-based
 * @param trainLoss mean training loss over the epoch's steps
 * @param testAccuracy accuracy on the test set after the epoch
 * @param seconds wall time of the epoch's training (evaluation excluded)
 * @param rssMegabytes resident memory of the process after the epoch, -1 if unknown
 * @param trainBytesUp bytes all clients sent to the server while training this epoch (evaluation
 *     excluded)
 * @param trainBytesDown bytes the server sent back while training this epoch
 */
public record EpochStats(
    String phase,
    int epoch,
    double trainLoss,
    double testAccuracy,
    double seconds,
    long rssMegabytes,
    long trainBytesUp,
    long trainBytesDown,
    double distanceCorrelation) {
  /** Figures without a leakage measurement (NaN distance correlation). */
  public EpochStats(
      String phase,
      int epoch,
      double trainLoss,
      double testAccuracy,
      double seconds,
      long rssMegabytes,
      long trainBytesUp,
      long trainBytesDown) {
    this(
        phase,
        epoch,
        trainLoss,
        testAccuracy,
        seconds,
        rssMegabytes,
        trainBytesUp,
        trainBytesDown,
        Double.NaN);
  }
}
