package dev.splitlearn.core.client;

import dev.splitlearn.core.train.Evaluation;
import java.io.IOException;

/**
 * Hears what a client's run does, so that checkpoints, timing, traffic, progress bars, logs or an
 * early stop can be added without touching the loop ({@link ClientListeners#of} composes several).
 * Called on the client's thread, in this order every epoch:
 *
 * <ol>
 *   <li>{@link #onEpochStart} once;
 *   <li>{@link #onStep} after every training step and {@link #onWeightExchange} after every pass or
 *       average of client-side weights, interleaved as the schedule runs them;
 *   <li>{@link #onTrainingEnd} once, after the last step and weight exchange;
 *   <li>{@link #onEvaluated} once, after the leakage probe and the test evaluation (if any);
 *   <li>{@link #onCheckpointDue} once, past the server's barrier of the epoch;
 *   <li>{@link #onEpochEnd} once, with the epoch's figures.
 * </ol>
 *
 * {@link #onStep} is on the training path: keep it cheap (no I/O, no locks held long). An exception
 * thrown by a listener ends the client's run with it (a way to stop early).
 */
public interface ClientListener {
  /**
   * Epoch {@code epoch} (1-based) of client {@code client} starts; it will run {@code steps}
   * training steps.
   */
  default void onEpochStart(int client, int epoch, int steps) {}

  /**
   * A training step is done. {@code step} is reused by the runtime for the next step: read it
   * during the call, copy what you keep.
   */
  default void onStep(ClientStep step) {}

  /**
   * Client-side weights were passed on, fetched or averaged while training {@code epoch}, taking
   * {@code nanos} (waits for the other clients included) and moving the bytes given.
   */
  default void onWeightExchange(int client, int epoch, long nanos, long bytesUp, long bytesDown) {}

  /** The training part of {@code epoch} is over (every step and weight exchange done). */
  default void onTrainingEnd(int client, int epoch) {}

  /**
   * The epoch's measurements outside training are done.
   *
   * @param evaluation the test evaluation, or null if this client does not evaluate
   * @param distanceCorrelation the leakage probe's mean dCor(X, A) (NaN if undefined)
   */
  default void onEvaluated(
      int client, int epoch, Evaluation evaluation, double distanceCorrelation) {}

  /**
   * Every client has finished {@code epoch} (the server's barrier passed): the moment to save this
   * client's state, {@code client}'s parts after {@code step} training steps in all.
   *
   * @throws IOException if saving fails (it ends the run)
   */
  default void onCheckpointDue(SplitClient client, int epoch, long step) throws IOException {}

  /** The epoch is over; {@code epoch} holds its figures. */
  default void onEpochEnd(int client, ClientEpoch epoch) {}

  /** A listener that does nothing. */
  ClientListener NONE = new ClientListener() {};
}
