package dev.splitlearn.core.encrypted;

import java.util.List;

/** The client's side of an encrypted cut. Holds the secret key, which never leaves the client. */
public interface ActivationCipher {
  /** The scheme and parameter set, e.g. {@code ckks/n4096}, announced in the handshake. */
  default String describe() {
    return "encrypted";
  }

  /** How gradients cross the cut. */
  GradientExchange exchange();

  /** What the client adds before values derived from decrypted logits reach the server. */
  default GradientPrivacy privacy() {
    return GradientPrivacy.NONE;
  }

  /** The public parameters the server needs (nothing secret), sent once in the setup message. */
  byte[] parameters();

  /** Encrypts a row-major batch of {@code batch} x {@code features} activations. */
  List<byte[]> encrypt(float[] activations, int batch, int features);

  /**
   * Decrypts the server layer's outputs into a row-major {@code batch} x {@code outputs} array.
   *
   * @throws dev.splitlearn.core.protocol.ProtocolException if a ciphertext is malformed or the
   *     count is wrong
   */
  float[] decrypt(List<byte[]> ciphertexts, int batch, int outputs);
}
