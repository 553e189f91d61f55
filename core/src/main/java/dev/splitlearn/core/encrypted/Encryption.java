package dev.splitlearn.core.encrypted;

/**
 * An encryption scheme for activations at the cut: makes each client's cipher (with its own fresh
 * key) and, on the server, the layer evaluator for the parameters a client announces.
 */
public interface Encryption {
  /** A cipher with a fresh secret key, for one client. */
  ActivationCipher newClientCipher();

  /**
   * The server's evaluator for a client that announced {@code parameters} in its setup message.
   *
   * @throws dev.splitlearn.core.protocol.ProtocolException if the parameters are malformed or
   *     insecure
   */
  EncryptedLinear serverLayer(int clientId, byte[] parameters);
}
