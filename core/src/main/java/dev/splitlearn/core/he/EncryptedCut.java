package dev.splitlearn.core.he;

import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message.HeSetup;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.ProtocolException;
import dev.splitlearn.he.linalg.BatchClient;
import dev.splitlearn.he.linalg.BatchLayout;
import dev.splitlearn.he.rlwe.Ciphertext;
import dev.splitlearn.he.rlwe.KeyGenerator;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.SecretKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's side of the encrypted cut: owns the CKKS secret key (generated from a secure RNG,
 * never sent), encrypts activation batches and decrypts the server layer's outputs. Also the plain
 * linear algebra of the backward pass the client does itself. Not thread-safe.
 */
public final class EncryptedCut {
  /** Canonical names of the server layer's parameters on the wire. */
  public static final String WEIGHT = "weight";
  public static final String BIAS = "bias";

  private final HeConfig config;
  private final Parameters params;
  private final BatchClient client;
  private final BatchClient[] workers;

  /** Generates a fresh secret key for {@code config}'s parameters. */
  public EncryptedCut(HeConfig config) {
    this.config = config;
    this.params = config.parameters();
    SecretKey key = new KeyGenerator(params).genSecretKey();
    this.client = new BatchClient(params, key);
    this.workers = new BatchClient[Parallel.PARTS];
    workers[0] = client;
    for (int i = 1; i < workers.length; i++) {
      workers[i] = new BatchClient(params, key);
    }
  }

  /** The settings. */
  public HeConfig config() {
    return config;
  }

  /** The message that tells the server the parameters (and nothing secret). */
  public HeSetup setup(int clientId) {
    return new HeSetup(clientId, config.literal().toBytes());
  }

  /**
   * Encrypts a row-major batch of {@code batch} x {@code features} activations. Ciphertext c holds
   * features [c g, (c + 1) g), so ranges of ciphertexts are encrypted on separate cores.
   */
  public List<byte[]> encrypt(float[] activations, int batch, int features) {
    BatchLayout layout = BatchLayout.of(params.slots(), batch, features);
    int g = layout.groups();
    int parts = Math.min(workers.length, layout.ciphertexts());
    int[] bounds = Parallel.bounds(layout.ciphertexts(), parts);
    List<List<byte[]>> chunks = Parallel.map(parts, p -> {
      int from = bounds[p] * g;
      int to = Math.min(features, bounds[p + 1] * g);
      double[] a = new double[batch * (to - from)];
      for (int i = 0; i < batch; i++) {
        for (int j = from; j < to; j++) {
          a[i * (to - from) + j - from] = activations[i * features + j];
        }
      }
      List<byte[]> out = new ArrayList<>();
      for (Ciphertext ct : workers[p].encryptBatch(a, batch, to - from)) {
        out.add(ct.toBytes());
      }
      return out;
    });
    List<byte[]> all = new ArrayList<>(layout.ciphertexts());
    chunks.forEach(all::addAll);
    return all;
  }

  /**
   * Decrypts the layer outputs into a row-major {@code batch} x {@code outputs} array.
   *
   * @throws ProtocolException if a ciphertext is malformed, of other parameters, or the count is wrong
   */
  public float[] decrypt(List<byte[]> ciphertexts, int batch, int outputs) {
    List<Ciphertext> cts = new ArrayList<>(ciphertexts.size());
    for (int i = 0; i < ciphertexts.size(); i++) {
      try {
        cts.add(Ciphertext.fromBytes(params, ciphertexts.get(i)));
      } catch (IOException e) {
        throw new ProtocolException("EncryptedOutput ciphertext " + i + ": " + e.getMessage());
      }
    }
    double[][] z;
    try {
      z = client.decryptLogits(cts, batch, outputs);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("EncryptedOutput: " + e.getMessage());
    }
    float[] out = new float[batch * outputs];
    for (int i = 0; i < batch; i++) {
      for (int k = 0; k < outputs; k++) {
        out[i * outputs + k] = (float) z[i][k];
      }
    }
    return out;
  }

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
}
