package dev.splitlearn.core.defense;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * One transformation of a batch's activations before they are sent. Runs on the engine thread,
 * inside the client's gradient collector when training: the result must stay differentiable in the
 * activations (randomness enters as constants), so the gradient the server returns for what was
 * sent flows back to the extractor.
 */
public interface ActivationDefense {
  /**
   * Transforms {@code activations}, shape {@code (batch, ...)}; returns an array of the same shape
   * in the same manager.
   *
   * @param noise this release's seeded random stream (a defense without randomness ignores it)
   */
  NDArray apply(NDArray activations, NoiseStream noise);

  /** Name and parameters, as recorded in results.json. */
  Map<String, Object> describe();
}
