package dev.splitlearn.he.ring;

import java.util.Arrays;

/**
 * An RNS polynomial: one row of N residues per modulus, {@code coeffs()[i][k]} being coefficient
 * (or NTT evaluation) {@code k} modulo the {@code i}-th modulus of the ring it belongs to.
 *
 * <p>A mutable buffer, not thread-safe. Whether it holds coefficients or NTT evaluations, and how
 * many of its rows are in use (its level), is tracked by the object that owns it.
 */
public final class Poly {

  private final long[][] coeffs;

  /**
   * Allocates a zero polynomial.
   *
   * @param rows number of moduli (rows), at least 1
   * @param n ring degree N
   */
  public Poly(int rows, int n) {
    if (rows < 1 || n < 1) {
      throw new IllegalArgumentException("cannot allocate Poly with rows=" + rows + ", N=" + n);
    }
    this.coeffs = new long[rows][n];
  }

  /**
   * Wraps existing rows (no copy).
   *
   * @param coeffs the rows, all of the same length
   */
  public Poly(long[][] coeffs) {
    this.coeffs = coeffs;
  }

  /**
   * @return the rows, shared (not copied)
   */
  public long[][] coeffs() {
    return coeffs;
  }

  /**
   * @return the number of rows
   */
  public int rows() {
    return coeffs.length;
  }

  /**
   * @return the ring degree N
   */
  public int n() {
    return coeffs[0].length;
  }

  /**
   * @return a deep copy
   */
  public Poly copy() {
    long[][] c = new long[coeffs.length][];
    for (int i = 0; i < c.length; i++) {
      c[i] = coeffs[i].clone();
    }
    return new Poly(c);
  }

  /**
   * Copies rows {@code 0..level} of {@code src} into this polynomial.
   *
   * @param src the source
   * @param level the last row to copy
   */
  public void copyFrom(Poly src, int level) {
    for (int i = 0; i <= level; i++) {
      System.arraycopy(src.coeffs[i], 0, coeffs[i], 0, coeffs[i].length);
    }
  }

  /**
   * Sets rows {@code 0..level} to zero.
   *
   * @param level the last row to clear
   */
  public void zero(int level) {
    for (int i = 0; i <= level; i++) {
      Arrays.fill(coeffs[i], 0L);
    }
  }

  /**
   * Compares rows {@code 0..level}.
   *
   * @param other the other polynomial
   * @param level the last row to compare
   * @return whether the rows are equal
   */
  public boolean equalsAtLevel(Poly other, int level) {
    for (int i = 0; i <= level; i++) {
      if (!Arrays.equals(coeffs[i], other.coeffs[i])) {
        return false;
      }
    }
    return true;
  }
}
