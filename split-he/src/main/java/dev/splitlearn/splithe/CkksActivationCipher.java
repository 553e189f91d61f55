package dev.splitlearn.splithe;

import dev.splitlearn.core.encrypted.ActivationCipher;
import dev.splitlearn.core.encrypted.GradientExchange;
import dev.splitlearn.core.encrypted.GradientPrivacy;
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
 * The client's side of the CKKS cut: owns the secret key (generated from a secure RNG, never sent),
 * encrypts activation batches on all cores and decrypts the server layer's outputs. Not
 * thread-safe.
 */
final class CkksActivationCipher implements ActivationCipher {
  private final CkksEncryption config;
  private final Parameters params;
  private final BatchClient client;
  private final BatchClient[] workers;

  /** Generates a fresh secret key for {@code config}'s parameters. */
  CkksActivationCipher(CkksEncryption config) {
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

  @Override
  public String describe() {
    return "ckks/"
        + config.parameterSet()
        + "/"
        + config.exchange().toString().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public GradientExchange exchange() {
    return config.exchange();
  }

  @Override
  public GradientPrivacy privacy() {
    return config.privacy();
  }

  @Override
  public byte[] parameters() {
    return config.literal().toBytes();
  }

  /**
   * Ciphertext c holds features [c g, (c + 1) g), so ranges of ciphertexts go to separate cores.
   */
  @Override
  public List<byte[]> encrypt(float[] activations, int batch, int features) {
    BatchLayout layout = BatchLayout.of(params.slots(), batch, features);
    int g = layout.groups();
    int parts = Math.min(workers.length, layout.ciphertexts());
    int[] bounds = Parallel.bounds(layout.ciphertexts(), parts);
    List<List<byte[]>> chunks =
        Parallel.map(
            parts,
            p -> {
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

  @Override
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
    } catch (
        ArithmeticException
            e) { // a clear refusal, not a crash: the run cannot go on with garbage logits
      throw new ProtocolException(
          dev.splitlearn.core.protocol.ErrorCode.FAILED_PRECONDITION,
          "EncryptedOutput: " + e.getMessage());
    }
    float[] out = new float[batch * outputs];
    for (int i = 0; i < batch; i++) {
      for (int k = 0; k < outputs; k++) {
        out[i * outputs + k] = (float) z[i][k];
      }
    }
    return out;
  }
}
