package dev.splitlearn.core.party;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.splitlearn.core.protocol.FloatTensor;

/** Conversions between DJL arrays and wire tensors. */
public final class Tensors {
  private Tensors() {}

  /** Copies {@code array} (float32) into a wire tensor. */
  public static FloatTensor toTensor(NDArray array) {
    return new FloatTensor(array.getShape().getShape(), array.toFloatArray());
  }

  /** Creates an array in {@code manager} holding {@code tensor}. */
  public static NDArray toArray(NDManager manager, FloatTensor tensor) {
    return manager.create(tensor.data(), new Shape(tensor.shape()));
  }
}
