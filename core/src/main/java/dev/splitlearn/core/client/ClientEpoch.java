package dev.splitlearn.core.client;

import dev.splitlearn.core.train.Evaluation;

/**
 * What one client measured in one epoch.
 *
 * @param epoch 1-based
 * @param steps training steps this client ran
 * @param lossSum sum of their batch losses
 * @param trainSeconds wall time from the epoch's start to its last weight exchange (waits included)
 * @param syncSeconds time spent passing or averaging client-side weights (waits included)
 * @param evaluation the test evaluation after the epoch, or null if this client does not evaluate
 * @param evalSeconds time the evaluation took
 * @param bytesUp bytes this client sent while training (evaluation excluded)
 * @param bytesDown bytes it received while training
 * @param rssMegabytes resident memory of the process after the epoch
 * @param distanceCorrelation leakage after the epoch: mean dCor(X, A) over the client's first 256
 *     training samples in batches of 64, in inference mode
 */
public record ClientEpoch(
    int epoch,
    long steps,
    double lossSum,
    double trainSeconds,
    double syncSeconds,
    Evaluation evaluation,
    double evalSeconds,
    long bytesUp,
    long bytesDown,
    long rssMegabytes,
    double distanceCorrelation) {

  /** Mean batch loss of the epoch (NaN without steps). */
  public double meanLoss() {
    return steps == 0 ? Double.NaN : lossSum / steps;
  }
}
