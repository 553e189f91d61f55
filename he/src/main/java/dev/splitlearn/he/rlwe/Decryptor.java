package dev.splitlearn.he.rlwe;

import dev.splitlearn.he.ring.Ring;

/**
 * Decrypts ciphertexts of degree 1 or 2 with the secret key: {@code m = sum_i c_i s^i} at the
 * ciphertext's level and scale. Stateless apart from the key; thread-safe.
 */
public final class Decryptor {

  private final Parameters params;
  private final SecretKey sk;

  /**
   * @param params the parameters
   * @param sk the secret key
   */
  public Decryptor(Parameters params, SecretKey sk) {
    if (sk.params().id() != params.id()) {
      throw new IllegalArgumentException(
          "cannot create Decryptor: key was made for other parameters");
    }
    this.params = params;
    this.sk = sk;
  }

  /**
   * @param ct the ciphertext
   * @return a new plaintext at the ciphertext's level and scale (NTT form)
   */
  public Plaintext decryptNew(Ciphertext ct) {
    Plaintext pt = new Plaintext(params, ct.level(), ct.scale());
    decrypt(ct, pt);
    return pt;
  }

  /**
   * @param ct the ciphertext
   * @param out output plaintext (resized to the ciphertext's level, scale copied)
   * @throws IllegalArgumentException if the ciphertext belongs to other parameters
   */
  public void decrypt(Ciphertext ct, Plaintext out) {
    if (ct.params().id() != params.id()) {
      throw new IllegalArgumentException(
          "cannot decrypt: ciphertext was made for other parameters");
    }
    Ring ring = params.ring();
    int level = ct.level();
    out.resize(level);
    out.value().copyFrom(ct.value(ct.degree()), level);
    for (int i = ct.degree() - 1; i >= 0; i--) {
      ring.mulCoeffs(level, out.value(), sk.value(), out.value());
      ring.add(level, out.value(), ct.value(i), out.value());
    }
    out.setScale(ct.scale());
  }
}
