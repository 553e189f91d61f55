package dev.splitlearn.he.ring;

/**
 * Reconstructs RNS coefficients to their centered integer value, as a double, with Garner's
 * mixed-radix algorithm and balanced digits. The relative error is that of double arithmetic, also
 * for values much smaller than the modulus product (no cancellation).
 *
 * <p>Immutable and thread-safe.
 */
public final class CrtReconstructor {

  private final Ring ring;
  private final int rows;

  /** qMod[i][j] = q_j mod q_i for j &lt; i. */
  private final long[][] qMod;

  /** invPrefix[i] = (q_0 ... q_{i-1})^-1 mod q_i. */
  private final long[] invPrefix;

  private final long[] invPrefixShoup;

  /**
   * Precomputes tables for rows {@code 0..rows-1} of a ring.
   *
   * @param ring the ring
   * @param rows number of leading rows (moduli) that may be reconstructed
   */
  public CrtReconstructor(Ring ring, int rows) {
    this.ring = ring;
    this.rows = rows;
    qMod = new long[rows][];
    invPrefix = new long[rows];
    invPrefixShoup = new long[rows];
    for (int i = 0; i < rows; i++) {
      Modulus mi = ring.modulus(i);
      qMod[i] = new long[i];
      long prefix = 1;
      for (int j = 0; j < i; j++) {
        qMod[i][j] = mi.reduce(ring.modulus(j).value());
        prefix = mi.mul(prefix, qMod[i][j]);
      }
      invPrefix[i] = i == 0 ? 1 : mi.inv(prefix);
      invPrefixShoup[i] = mi.shoup(invPrefix[i]);
    }
  }

  /**
   * Reconstructs every coefficient of rows {@code 0..level} (coefficient form) and multiplies it by
   * {@code factor}. Rows {@code 1..level} of {@code p} are overwritten with the mixed-radix digits.
   *
   * @param p polynomial in coefficient form, rows fully reduced; used as scratch
   * @param level last row
   * @param factor multiplier applied to each centered value (e.g. 1/scale)
   * @param out N outputs
   * @throws IllegalArgumentException if level exceeds the precomputed rows
   */
  public void toDouble(Poly p, int level, double factor, double[] out) {
    if (level >= rows) {
      throw new IllegalArgumentException(
          "cannot reconstruct level " + level + ": only " + rows + " rows precomputed");
    }
    long[][] c = p.coeffs();
    int n = ring.n();
    if (level == 0) {
      long q = ring.modulus(0).value();
      long half = q >>> 1;
      long[] x = c[0];
      for (int k = 0; k < n; k++) {
        long v = x[k];
        out[k] = (v > half ? v - q : v) * factor;
      }
      return;
    }
    // Garner, row by row: v_i = (x_i - sum_{j<i} v_j q_0..q_{j-1}) / (q_0..q_{i-1}) mod q_i
    long[] t = new long[n];
    for (int i = 1; i <= level; i++) {
      Modulus mi = ring.modulus(i);
      long qi = mi.value();
      long[] qm = qMod[i];
      long[] prev = c[i - 1];
      for (int k = 0; k < n; k++) {
        t[k] = mi.reduce(prev[k]);
      }
      for (int j = i - 2; j >= 0; j--) {
        long w = qm[j];
        long ws = mi.shoup(w);
        long[] vj = c[j];
        for (int k = 0; k < n; k++) {
          long r = mi.mulShoup(t[k], w, ws) + mi.reduce(vj[k]) - qi;
          t[k] = r + ((r >> 63) & qi);
        }
      }
      long[] xi = c[i];
      long inv = invPrefix[i];
      long invS = invPrefixShoup[i];
      for (int k = 0; k < n; k++) {
        long d = xi[k] - t[k];
        d += (d >> 63) & qi;
        xi[k] = mi.mulShoup(d, inv, invS);
      }
    }
    long[] q = new long[level + 1];
    for (int i = 0; i <= level; i++) {
      q[i] = ring.modulus(i).value();
    }
    for (int k = 0; k < n; k++) {
      // balanced digits, so that small values of either sign have zero high digits
      long carry = 0;
      double x = 0;
      double weight = 1;
      for (int i = 0; i <= level; i++) {
        long d = c[i][k] + carry;
        if (d > (q[i] >>> 1)) {
          d -= q[i];
          carry = 1;
        } else {
          carry = 0;
        }
        x += d * weight;
        weight *= q[i];
      }
      out[k] = x * factor;
    }
  }
}
