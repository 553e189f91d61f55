package dev.splitlearn.core.server;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.splitlearn.core.party.Tensors;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.ProtocolException;

/** Validation of what clients send, before it reaches the engine. */
final class Checks {
  private Checks() {}

  /**
   * Activations must fit the cloud model's input (any batch >= 1); that they are finite is checked
   * as they enter the engine ({@link #finiteArray}).
   */
  static void activationShape(FloatTensor t, Shape expected, String what) {
    Shape got = new Shape(t.shape());
    if (got.dimension() != expected.dimension()
        || got.get(0) < 1
        || !got.slice(1).equals(expected.slice(1))) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          what
              + ": activations of shape "
              + got
              + " do not fit the cloud model input (batch"
              + expected.slice(1)
              + ")");
    }
  }

  /** No NaN or infinity. */
  static void finite(FloatTensor t, String what) {
    int i = t.firstNonFinite();
    if (i >= 0) {
      throw nonFinite(t, i, what);
    }
  }

  /** {@code t} copied into an array of {@code scope}, rejected if a value is NaN or infinite. */
  static NDArray finiteArray(NDManager scope, FloatTensor t, String what) {
    return Tensors.toFiniteArray(
        scope,
        t,
        i -> {
          throw nonFinite(t, i, what);
        });
  }

  private static ProtocolException nonFinite(FloatTensor t, int i, String what) {
    return new ProtocolException(
        ErrorCode.INVALID_ARGUMENT,
        what
            + ": value "
            + t.data()[i]
            + " at index "
            + i
            + " of tensor "
            + new Shape(t.shape())
            + " is not finite");
  }

  /** Labels in [0, classes). */
  static void labels(int[] labels, int classes, String what) {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new ProtocolException(
            ErrorCode.INVALID_ARGUMENT,
            what + ": label " + labels[i] + " at index " + i + " is outside 0.." + (classes - 1));
      }
    }
  }
}
