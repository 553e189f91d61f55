package dev.splitlearn.core.encrypted;

import dev.splitlearn.core.protocol.FloatTensor;
import java.util.List;

/**
 * The server's side of an encrypted cut for one client: a linear layer evaluated on ciphertexts.
 */
public interface EncryptedLinear {
  /**
   * Evaluates {@code z = W a + b} on one encrypted batch.
   *
   * @param weight outputs x features
   * @param bias outputs
   * @return the output ciphertexts
   * @throws dev.splitlearn.core.protocol.ProtocolException if a ciphertext is malformed or shapes
   *     do not fit
   */
  List<byte[]> evaluate(List<byte[]> ciphertexts, int batch, FloatTensor weight, FloatTensor bias);
}
