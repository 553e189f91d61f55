package dev.splitlearn.core.encrypted;

import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.ProtocolException;
import java.util.List;

/**
 * The plain linear algebra around the encrypted layer: its parameters under canonical wire names,
 * and the backward pass the client does itself.
 */
public final class LinearGradients {
  /** Canonical names of the server layer's parameters on the wire. */
  public static final String WEIGHT = "weight";
  public static final String BIAS = "bias";

  private LinearGradients() {}

  /**
   * The layer's parameter gradients summed over the batch: {@code dW = dZ^T A} (outputs x features)
   * and {@code db = sum_i dZ_i}, named {@link #WEIGHT} and {@link #BIAS}.
   */
  public static List<NamedTensor> layerGradients(float[] dz, float[] a, int batch, int outputs, int features) {
    float[] dw = new float[outputs * features];
    float[] db = new float[outputs];
    for (int i = 0; i < batch; i++) {
      for (int k = 0; k < outputs; k++) {
        float g = dz[i * outputs + k];
        db[k] += g;
        int row = k * features;
        int ai = i * features;
        for (int j = 0; j < features; j++) {
          dw[row + j] += g * a[ai + j];
        }
      }
    }
    return List.of(new NamedTensor(WEIGHT, new FloatTensor(new long[] {outputs, features}, dw)),
        new NamedTensor(BIAS, new FloatTensor(new long[] {outputs}, db)));
  }

  /** {@code dA = dZ W}: the activations' gradient, batch x features, row-major. */
  public static float[] inputGradient(float[] dz, float[] w, int batch, int outputs, int features) {
    float[] da = new float[batch * features];
    for (int i = 0; i < batch; i++) {
      for (int k = 0; k < outputs; k++) {
        float g = dz[i * outputs + k];
        int row = k * features;
        int ai = i * features;
        for (int j = 0; j < features; j++) {
          da[ai + j] += g * w[row + j];
        }
      }
    }
    return da;
  }

  /** Finds the tensor named {@code name}, or throws naming the message it was expected in. */
  public static FloatTensor find(List<NamedTensor> tensors, String name, String where) {
    for (NamedTensor t : tensors) {
      if (t.name().equals(name)) {
        return t.tensor();
      }
    }
    throw new ProtocolException(where + ": no tensor named '" + name + "'");
  }

  /** The weight and bias of a part that is a single linear layer, under the canonical names. */
  public static List<NamedTensor> linearParameters(List<NamedTensor> partWeights, String partName) {
    FloatTensor w = null;
    FloatTensor b = null;
    for (NamedTensor t : partWeights) {
      if (t.tensor().shape().length == 2 && w == null) {
        w = t.tensor();
      } else if (t.tensor().shape().length == 1 && b == null) {
        b = t.tensor();
      } else {
        w = null;
        break;
      }
    }
    if (w == null || b == null || partWeights.size() != 2 || b.shape()[0] != w.shape()[0]) {
      throw new ProtocolException("encrypted training needs a server part that is one linear layer on flat "
          + "activations; " + partName + " has parameters " + partWeights.stream().map(NamedTensor::name).toList());
    }
    return List.of(new NamedTensor(WEIGHT, w), new NamedTensor(BIAS, b));
  }
}
