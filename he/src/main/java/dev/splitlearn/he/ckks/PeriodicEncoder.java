package dev.splitlearn.he.ckks;

import dev.splitlearn.he.ring.Modulus;
import dev.splitlearn.he.ring.Poly;
import dev.splitlearn.he.ring.Ring;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.Plaintext;
import java.util.HashMap;
import java.util.Map;

/**
 * Encodes slot vectors that repeat with a period {@code p} (slot {@code s} holds value {@code s mod
 * p}) about ten times faster than {@link Encoder}, with the same result.
 *
 * <p>Why it works: slot {@code s} is the evaluation at {@code zeta^(5^s)}, and a vector of period
 * {@code p} is fixed by the rotation by {@code p}, i.e. by the automorphisms {@code X -> X^t} with
 * {@code t = 1 mod 4p}. The polynomials they fix are the polynomials in {@code Y = X^(N/(2p))}, of
 * degree below {@code 2p}: the plaintext is the encoding of the {@code p} values in the ring of
 * degree {@code 2p} (an FFT of size {@code p}), spread to every {@code N/(2p)}-th coefficient. Its
 * NTT takes only {@code 2p} distinct values per prime, the evaluations at the distinct NTT values
 * {@code y} of the monomial {@code Y}, computed by Horner's rule and scattered by a table.
 *
 * <p>Not thread-safe (scratch buffers); create one per thread.
 */
public final class PeriodicEncoder {

  private final Parameters params;
  private final int period;
  private final int stride;
  private final SpecialFft fft;

  /** Per prime: the distinct NTT values of {@code Y = X^stride}. */
  private final long[][] points;

  /** Per prime: for each NTT position, the index of its point. */
  private final int[][] pointIndex;

  private final double[] re;
  private final double[] im;
  private final long[] coeffs;
  private final long[] values;
  private final long[] reduced;

  /** Per prime: Shoup precomputations of {@link #points}. */
  private final long[][] pointsShoup;

  /**
   * @param params parameters
   * @param period p, a power of two with {@code 1 <= p <= N/2}
   * @throws IllegalArgumentException if the period is not a power of two in range
   */
  public PeriodicEncoder(Parameters params, int period) {
    int slots = params.slots();
    if (period < 1 || period > slots || Integer.bitCount(period) != 1) {
      throw new IllegalArgumentException(
          "cannot create PeriodicEncoder: period "
              + period
              + " is not a power of two in [1, "
              + slots
              + "]");
    }
    this.params = params;
    this.period = period;
    this.stride = params.n() / (2 * period);
    this.fft = new SpecialFft(period);
    Ring ring = params.ring();
    int primes = ring.moduliCount();
    this.points = new long[primes][];
    this.pointIndex = new int[primes][];
    Poly y = ring.newPoly();
    for (int r = 0; r < primes; r++) {
      y.coeffs()[r][stride] = 1; // the monomial Y = X^stride; stride <= N/2
    }
    ring.ntt(primes - 1, y);
    for (int r = 0; r < primes; r++) {
      Map<Long, Integer> seen = new HashMap<>();
      long[] row = y.coeffs()[r];
      int[] index = new int[params.n()];
      for (int j = 0; j < row.length; j++) {
        Integer k = seen.get(row[j]);
        if (k == null) {
          k = seen.size();
          seen.put(row[j], k);
        }
        index[j] = k;
      }
      long[] pts = new long[seen.size()];
      seen.forEach((v, k) -> pts[k] = v);
      points[r] = pts;
      pointIndex[r] = index;
    }
    this.re = new double[period];
    this.im = new double[period];
    this.coeffs = new long[2 * period];
    this.values = new long[2 * period];
    this.reduced = new long[2 * period];
    this.pointsShoup = new long[primes][];
    for (int r = 0; r < primes; r++) {
      Modulus m = ring.modulus(r);
      pointsShoup[r] = java.util.Arrays.stream(points[r]).map(m::shoup).toArray();
    }
  }

  /**
   * @return the period p
   */
  public int period() {
    return period;
  }

  /**
   * Encodes the vector whose slot {@code s} is {@code real[s mod p] + i imag[s mod p]} at {@code
   * out}'s level and scale; equal to {@link Encoder#encode(double[], double[], Plaintext)} of the
   * full vector.
   *
   * @param real p real parts
   * @param imag p imaginary parts, or null for zero
   * @param out output plaintext (NTT form)
   * @throws IllegalArgumentException if a length is not p or a scaled value is not finite or too
   *     large
   */
  public void encode(double[] real, double[] imag, Plaintext out) {
    if (real.length != period || (imag != null && imag.length != period)) {
      throw new IllegalArgumentException(
          "cannot encode periodic vector: expected "
              + period
              + " values, got "
              + real.length
              + (imag == null ? "" : " and " + imag.length));
    }
    if (out.params().id() != params.id()) {
      throw new IllegalArgumentException(
          "cannot encode periodic vector: plaintext was made for other parameters");
    }
    System.arraycopy(real, 0, re, 0, period);
    if (imag != null) {
      System.arraycopy(imag, 0, im, 0, period);
    } else {
      java.util.Arrays.fill(im, 0.0);
    }
    fft.inverse(re, im);
    double scale = out.scale();
    for (int t = 0; t < period; t++) {
      coeffs[t] = round(re[t] * scale, t);
      coeffs[t + period] = round(im[t] * scale, t + period);
    }
    Ring ring = params.ring();
    Poly p = out.value();
    for (int r = 0; r <= out.level(); r++) {
      Modulus m = ring.modulus(r);
      for (int t = 0; t < 2 * period; t++) {
        reduced[t] = m.reduceSigned(coeffs[t]);
      }
      long[] pts = points[r];
      long[] shoup = pointsShoup[r];
      for (int k = 0; k < pts.length; k++) {
        long acc = 0;
        long y = pts[k];
        long yp = shoup[k];
        for (int t = 2 * period - 1; t >= 0; t--) { // Horner: sum_t c_t y^t
          acc = m.add(m.mulShoup(acc, y, yp), reduced[t]);
        }
        values[k] = acc;
      }
      long[] row = p.coeffs()[r];
      int[] index = pointIndex[r];
      for (int j = 0; j < row.length; j++) {
        row[j] = values[index[j]];
      }
    }
  }

  private static long round(double x, int t) {
    if (!(Math.abs(x) < 0x1p62)) {
      throw new IllegalArgumentException(
          "cannot encode periodic vector: scaled coefficient " + t + " is " + x);
    }
    return Math.round(x);
  }
}
