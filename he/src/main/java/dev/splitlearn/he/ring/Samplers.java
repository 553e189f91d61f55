package dev.splitlearn.he.ring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samplers for RLWE: uniform residues (rejection sampling), uniform ternary secrets and a bounded
 * discrete Gaussian (cumulative-table inversion). Not constant-time.
 */
public final class Samplers {

  private static final Map<Long, long[]> CDT_CACHE = new ConcurrentHashMap<>();

  private Samplers() {}

  /**
   * Fills a row with values uniform in {@code [0, q)} by rejection sampling.
   *
   * @param prng the random stream
   * @param m the modulus
   * @param out the row to fill
   */
  public static void uniform(Prng prng, Modulus m, long[] out) {
    long q = m.value();
    long mask = (1L << m.bits()) - 1;
    for (int k = 0; k < out.length; ) {
      long x = prng.nextLong() & mask;
      if (x < q) {
        out[k++] = x;
      }
    }
  }

  /**
   * Fills {@code out} with coefficients uniform in {@code {-1, 0, 1}}.
   *
   * @param prng the random stream
   * @param out the signed coefficients
   */
  public static void ternary(Prng prng, long[] out) {
    int k = 0;
    while (k < out.length) {
      int b = prng.nextByte();
      for (int s = 0; s < 8 && k < out.length; s += 2) {
        int v = (b >>> s) & 3;
        if (v != 3) {
          out[k++] = v == 2 ? -1 : v;
        }
      }
    }
  }

  /**
   * Fills {@code out} with a discrete Gaussian of standard deviation {@code sigma}, truncated to
   * {@code |x| <= bound}.
   *
   * @param prng the random stream
   * @param sigma standard deviation, positive
   * @param bound truncation bound, positive
   * @param out the signed coefficients
   */
  public static void gaussian(Prng prng, double sigma, int bound, long[] out) {
    long[] cdt = cdt(sigma, bound);
    int last = cdt.length - 1;
    for (int k = 0; k < out.length; k++) {
      long r = prng.nextLong();
      long u = r >>> 1;
      int x = 0;
      while (x < last && u >= cdt[x]) {
        x++;
      }
      out[k] = (r & 1) == 0 ? x : -x;
    }
  }

  /** Cumulative table of |x|: cdt[k] = round(2^63 * P(|x| &lt;= k)), last entry saturated. */
  private static long[] cdt(double sigma, int bound) {
    long key = Double.doubleToLongBits(sigma) * 31 + bound;
    return CDT_CACHE.computeIfAbsent(
        key,
        k -> {
          double[] w = new double[bound + 1];
          double total = 0;
          for (int x = 0; x <= bound; x++) {
            w[x] = (x == 0 ? 1.0 : 2.0) * Math.exp(-(double) x * x / (2 * sigma * sigma));
            total += w[x];
          }
          long[] table = new long[bound + 1];
          double cum = 0;
          for (int x = 0; x <= bound; x++) {
            cum += w[x] / total;
            table[x] =
                x == bound
                    ? Long.MAX_VALUE
                    : (long) Math.min(Math.scalb(cum, 63), (double) Long.MAX_VALUE);
          }
          return table;
        });
  }
}
