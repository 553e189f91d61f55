package dev.splitlearn.core.server;

import ai.djl.ndarray.types.Shape;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.ProtocolException;

/** Validation of what clients send, before it reaches the engine. */
final class Checks {
  private Checks() {}

  /** Activations must fit the cloud model's input (any batch >= 1) and be finite. */
  static void activations(FloatTensor t, Shape expected, String what) {
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
    finite(t, what);
  }

  /** No NaN or infinity. */
  static void finite(FloatTensor t, String what) {
    int i = t.firstNonFinite();
    if (i >= 0) {
      throw new ProtocolException(
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
