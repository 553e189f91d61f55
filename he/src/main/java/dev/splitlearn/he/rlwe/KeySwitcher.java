package dev.splitlearn.he.rlwe;

import dev.splitlearn.he.ring.Modulus;
import dev.splitlearn.he.ring.Poly;
import dev.splitlearn.he.ring.Ring;
import dev.splitlearn.he.ring.SubRing;

/**
 * Hybrid key switching (gadget product with one digit per Q prime, then division by P).
 *
 * <p>Given {@code c} at level {@code l} and a key from {@code s_in} to {@code s_out}, computes
 * {@code (d_0, d_1)} at level {@code l} with {@code d_0 + d_1 s_out ~ c s_in}. Digits are centred
 * (in {@code (-q_i/2, q_i/2]}), which keeps the noise zero-mean: an uncentred digit has mean {@code
 * q_i/2}, and its product with the key error concentrates in the slots whose root of unity is close
 * to 1. The added noise is about {@code sqrt(l+1) max(q_i) sqrt(N / 12) sigma / P} per coefficient
 * plus the rounding of the division.
 *
 * <p>Not thread-safe: it owns scratch buffers. {@link #copy()} gives an instance with its own
 * buffers.
 */
public final class KeySwitcher {

  private final Parameters params;
  private final Ring ring;
  private final Poly acc0;
  private final Poly acc1;
  private final long[] digit;
  private final long[] lifted;
  private final long[] tmp;
  private final long[] tmp2;

  /**
   * @param params the parameters
   */
  public KeySwitcher(Parameters params) {
    this.params = params;
    this.ring = params.ring();
    this.acc0 = ring.newPoly();
    this.acc1 = ring.newPoly();
    int n = ring.n();
    this.digit = new long[n];
    this.lifted = new long[n];
    this.tmp = new long[n];
    this.tmp2 = new long[n];
  }

  /**
   * @return a new key switcher with its own scratch buffers
   */
  public KeySwitcher copy() {
    return new KeySwitcher(params);
  }

  /**
   * Switches {@code c} (NTT form, rows 0..level) with {@code key}. The outputs may alias {@code c}.
   *
   * @param level the level, in [0, L]
   * @param c input polynomial (not modified unless aliased by an output)
   * @param key the switching key
   * @param out0 output d_0 (rows 0..level written)
   * @param out1 output d_1 (rows 0..level written)
   * @throws IllegalStateException if the parameters have no special primes
   */
  public void keySwitch(int level, Poly c, SwitchingKey key, Poly out0, Poly out1) {
    int pCount = params.pCount();
    if (pCount == 0) {
      throw new IllegalStateException("cannot switch keys: parameters have no special primes P");
    }
    int qCount = params.qCount();
    int[] targets = new int[level + 1 + pCount];
    for (int j = 0; j <= level; j++) {
      targets[j] = j;
    }
    for (int j = 0; j < pCount; j++) {
      targets[level + 1 + j] = qCount + j;
    }
    int n = ring.n();
    for (int i = 0; i <= level; i++) {
      long[] ci = c.coeffs()[i];
      System.arraycopy(ci, 0, digit, 0, n);
      ring.subRing(i).inverse(digit);
      long qi = ring.modulus(i).value();
      // centre the digit: v' = v + floor(q_i/2) mod q_i, lifted as v' - floor(q_i/2) in (-q_i/2,
      // q_i/2]
      long half = qi >>> 1;
      for (int k = 0; k < n; k++) {
        long v = digit[k] + half - qi;
        digit[k] = v + ((v >> 63) & qi);
      }
      long[][] bi = key.b(i).coeffs();
      long[][] ai = key.a(i).coeffs();
      long[][] bis = key.bShoup(i);
      long[][] ais = key.aShoup(i);
      for (int j : targets) {
        SubRing sj = ring.subRing(j);
        Modulus mj = sj.modulus();
        long[] t;
        if (j == i) {
          t = ci;
        } else {
          long qj = mj.value();
          long halfJ = mj.reduce(half);
          if (qi <= qj) {
            for (int k = 0; k < n; k++) {
              lifted[k] = digit[k] - halfJ + qj;
            }
          } else {
            for (int k = 0; k < n; k++) {
              lifted[k] = mj.reduce(digit[k]) - halfJ + qj;
            }
          }
          sj.forwardLazy(lifted); // in [0, 4q_j): the gadget product takes factors below 2^62
          t = lifted;
        }
        Ring.gadgetProductRow(
            mj.value(),
            t,
            bi[j],
            bis[j],
            ai[j],
            ais[j],
            acc0.coeffs()[j],
            acc1.coeffs()[j],
            i == 0);
      }
    }
    for (int j : targets) {
      reduceRow(ring.modulus(j).value(), acc0.coeffs()[j]);
      reduceRow(ring.modulus(j).value(), acc1.coeffs()[j]);
    }
    // ModDown: divide by the special primes, last one first
    for (int pi = pCount - 1; pi >= 0; pi--) {
      int last = qCount + pi;
      int[] rest = new int[level + 1 + pi];
      System.arraycopy(targets, 0, rest, 0, rest.length);
      ring.divRoundByLastNtt(acc0, last, rest, tmp, tmp2);
      ring.divRoundByLastNtt(acc1, last, rest, tmp, tmp2);
    }
    for (int j = 0; j <= level; j++) {
      System.arraycopy(acc0.coeffs()[j], 0, out0.coeffs()[j], 0, n);
      System.arraycopy(acc1.coeffs()[j], 0, out1.coeffs()[j], 0, n);
    }
  }

  private static void reduceRow(long q, long[] x) {
    for (int k = 0; k < x.length; k++) {
      long r = x[k] - q;
      x[k] = r + ((r >> 63) & q);
    }
  }
}
