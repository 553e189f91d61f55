package dev.splitlearn.core.server;

import dev.splitlearn.core.protocol.Message.Weights;
import java.util.Optional;

/**
 * The client-side weights clients upload, by round, and their average: what passes between clients
 * (sequential) or is averaged (parallel, FedAvg). One in-memory implementation: {@link
 * InMemoryWeightStore}. Callers synchronise; implementations need not be thread-safe.
 */
public interface WeightStore {
  /**
   * Adds an upload to its round.
   *
   * @throws dev.splitlearn.core.protocol.ProtocolException if it does not match the round's other
   *     uploads
   */
  void add(Weights upload);

  /** Number of uploads of {@code round} so far. */
  int count(long round);

  /** The newest round with an upload, or -1. */
  long newest();

  /**
   * The sample-weighted average of the uploads of {@code round}, summed in client-id order (so the
   * result does not depend on arrival order), addressed to {@code clientId}.
   */
  Weights average(long round, int clientId);

  /** The newest round with uploads and its average, for checkpoints. */
  Optional<Weights> latest();

  /** Puts back a round's average (after a restart), as if uploaded. */
  void restore(Weights average);
}
