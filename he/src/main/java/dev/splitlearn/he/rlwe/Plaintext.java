package dev.splitlearn.he.rlwe;

import dev.splitlearn.he.ring.Poly;

/**
 * A plaintext polynomial in NTT form over rows {@code 0..level}, with its CKKS scale. A mutable
 * buffer (used as an output), not thread-safe.
 */
public final class Plaintext {

  private final Parameters params;
  private Poly value;
  private int level;
  private double scale;

  /**
   * Allocates a zero plaintext.
   *
   * @param params the parameters
   * @param level level in [0, L]
   * @param scale CKKS scale, positive
   * @throws IllegalArgumentException if level or scale is invalid
   */
  public Plaintext(Parameters params, int level, double scale) {
    this.params = params;
    Ciphertext.checkLevel(params, level, "Plaintext");
    Ciphertext.checkScale(scale, "Plaintext");
    this.value = params.ring().newPoly(level);
    this.level = level;
    this.scale = scale;
  }

  /**
   * @return the parameters
   */
  public Parameters params() {
    return params;
  }

  /**
   * @return the polynomial (NTT form, rows 0..level used)
   */
  public Poly value() {
    return value;
  }

  /**
   * @return the level
   */
  public int level() {
    return level;
  }

  /**
   * @return the scale
   */
  public double scale() {
    return scale;
  }

  /**
   * @param scale new scale, positive and finite
   */
  public void setScale(double scale) {
    Ciphertext.checkScale(scale, "Plaintext.setScale");
    this.scale = scale;
  }

  /**
   * Sets the level, growing the buffer if needed (content is then unspecified).
   *
   * @param level new level in [0, L]
   */
  public void resize(int level) {
    Ciphertext.checkLevel(params, level, "Plaintext.resize");
    if (value.rows() < level + 1) {
      value = params.ring().newPoly(level);
    }
    this.level = level;
  }
}
