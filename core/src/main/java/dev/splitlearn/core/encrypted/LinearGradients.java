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
  public static List<NamedTensor> layerGradients(
      float[] dz, float[] a, int batch, int outputs, int features) {
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
    return List.of(
        new NamedTensor(WEIGHT, new FloatTensor(new long[] {outputs, features}, dw)),
        new NamedTensor(BIAS, new FloatTensor(new long[] {outputs}, db)));
  }

  /**
   * DP-SGD's layer gradient: each sample's own gradient {@code (B dZ_i a_i^T, B dZ_i)} (the
   * gradient of its loss; {@code dZ} is that of the batch-mean loss) clipped to L2 norm {@code
   * clip}, summed, plus Gaussian noise of deviation {@code noiseMultiplier * clip} per coordinate,
   * divided by {@code B}: the noisy mean gradient, named as by {@link #layerGradients}.
   */
  public static List<NamedTensor> privateLayerGradients(
      float[] dz,
      float[] a,
      int batch,
      int outputs,
      int features,
      float clip,
      float noiseMultiplier,
      java.util.Random random) {
    double[] dw = new double[outputs * features];
    double[] db = new double[outputs];
    for (int i = 0; i < batch; i++) {
      double dzNorm2 = 0;
      double aNorm2 = 1; // the bias's input is 1
      for (int k = 0; k < outputs; k++) {
        double g = (double) batch * dz[i * outputs + k];
        dzNorm2 += g * g;
      }
      for (int j = 0; j < features; j++) {
        aNorm2 += (double) a[i * features + j] * a[i * features + j];
      }
      double norm = Math.sqrt(dzNorm2 * aNorm2); // ||g a^T||_F = ||g|| ||a||
      double scale = batch * (norm > clip ? clip / norm : 1);
      for (int k = 0; k < outputs; k++) {
        double g = scale * dz[i * outputs + k];
        db[k] += g;
        for (int j = 0; j < features; j++) {
          dw[k * features + j] += g * a[i * features + j];
        }
      }
    }
    double sd = (double) noiseMultiplier * clip;
    float[] w = new float[dw.length];
    for (int j = 0; j < w.length; j++) {
      w[j] = (float) ((dw[j] + sd * random.nextGaussian()) / batch);
    }
    float[] b = new float[outputs];
    for (int k = 0; k < outputs; k++) {
      b[k] = (float) ((db[k] + sd * random.nextGaussian()) / batch);
    }
    return List.of(
        new NamedTensor(WEIGHT, new FloatTensor(new long[] {outputs, features}, w)),
        new NamedTensor(BIAS, new FloatTensor(new long[] {outputs}, b)));
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
      throw new ProtocolException(
          "encrypted training needs a server part that is one linear layer on flat "
              + "activations; "
              + partName
              + " has parameters "
              + partWeights.stream().map(NamedTensor::name).toList());
    }
    return List.of(new NamedTensor(WEIGHT, w), new NamedTensor(BIAS, b));
  }
}
