package dev.splitlearn.core.defense;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * One client's defenses in their order, with the seeded noise of each release. Training releases
 * draw the noise of their step (so a run resumed at a step draws what it would have drawn), test
 * and probe releases that of a per-purpose counter (so the same test batch gets fresh noise every
 * evaluation). Not thread-safe, like the client that owns it.
 */
public final class DefenseChain {
  /** Why activations are transformed: the stream a release draws from. */
  public enum Purpose {
    /** A training step, sent to the server. */
    TRAIN,
    /** An inference batch, sent to the server. */
    PREDICT,
    /** The client's own leakage measurement, never sent. */
    PROBE
  }

  /** No defense: activations pass unchanged. */
  public static final DefenseChain NONE = new DefenseChain(List.of(), 0, 0);

  private final List<ActivationDefense> defenses;
  private final long seed;
  private final int clientId;
  private final long[] counters = new long[Purpose.values().length];

  DefenseChain(List<ActivationDefense> defenses, long seed, int clientId) {
    this.defenses = List.copyOf(defenses);
    this.seed = seed;
    this.clientId = clientId;
  }

  /** Whether no defense is applied. */
  public boolean isEmpty() {
    return defenses.isEmpty();
  }

  /**
   * Applies every defense to {@code activations} (batch on axis 0), on the engine thread; returns
   * what is sent (the input itself when there is none).
   *
   * @param step the training step (used for {@link Purpose#TRAIN} only)
   */
  public NDArray apply(NDArray activations, Purpose purpose, long step) {
    if (defenses.isEmpty()) {
      return activations;
    }
    long index = purpose == Purpose.TRAIN ? step : counters[purpose.ordinal()]++;
    NDArray out = activations;
    int k = 0;
    for (ActivationDefense d : defenses) {
      out = d.apply(out, new NoiseStream(seed, clientId, purpose.ordinal() * 16 + k++, index));
    }
    return out;
  }
}
