package dev.splitlearn.core.client;

import dev.splitlearn.core.train.Evaluation;

/**
 * Times a client's epochs from the runtime's events: the training part (from the epoch's start to
 * its last weight exchange, waits included), the weight exchanges within it, the steps within it,
 * and the measurements after it (leakage probe and evaluation). Figures are of the epoch in
 * progress or, after {@link #onEpochEnd}, of the last one. One instance per client runtime; not
 * thread-safe.
 */
public final class ClientTiming implements ClientListener {
  private long epochStart;
  private long trainingEnd;
  private long trainNanos;
  private long syncNanos;
  private long stepNanos;
  private long evalNanos;
  private long steps;

  @Override
  public void onEpochStart(int client, int epoch, int stepCount) {
    epochStart = System.nanoTime();
    trainNanos = 0;
    syncNanos = 0;
    stepNanos = 0;
    evalNanos = 0;
    steps = 0;
  }

  @Override
  public void onStep(ClientStep step) {
    stepNanos += step.nanos();
    steps++;
  }

  @Override
  public void onWeightExchange(int client, int epoch, long nanos, long bytesUp, long bytesDown) {
    syncNanos += nanos;
  }

  @Override
  public void onTrainingEnd(int client, int epoch) {
    trainingEnd = System.nanoTime();
    trainNanos = trainingEnd - epochStart;
  }

  @Override
  public void onEvaluated(
      int client, int epoch, Evaluation evaluation, double distanceCorrelation) {
    evalNanos = System.nanoTime() - trainingEnd;
  }

  /** Wall time of the epoch's training part, weight exchanges and waits included. */
  public double trainSeconds() {
    return trainNanos / 1e9;
  }

  /** Time spent passing, fetching or averaging client-side weights (waits included). */
  public double syncSeconds() {
    return syncNanos / 1e9;
  }

  /** Time spent in training steps (the server's part and waits for admission included). */
  public double stepSeconds() {
    return stepNanos / 1e9;
  }

  /** Training steps of the epoch. */
  public long steps() {
    return steps;
  }

  /** Mean wall time of a step, NaN without steps. */
  public double meanStepSeconds() {
    return steps == 0 ? Double.NaN : stepNanos / 1e9 / steps;
  }

  /** Time of the measurements after training: the leakage probe and the evaluation. */
  public double evalSeconds() {
    return evalNanos / 1e9;
  }
}
