package dev.splitlearn.core.protocol;

/**
 * The levels of B-bit uniform quantisation between a tensor's minimum and maximum, shared by the
 * quantisation defense (which rounds activations to them) and the packed wire layout (which sends
 * each value as the B-bit number of its level, with the minimum and maximum once per tensor). Both
 * compute a level with the same float arithmetic, and the top level is the maximum itself, so a
 * quantised tensor crosses the wire bit for bit.
 */
public final class BitPacking {
  /** Most bits per value. */
  public static final int MAX_BITS = 8;

  private BitPacking() {}

  /**
   * Level {@code k} of {@code levels} evenly spaced from {@code lo} to {@code hi}: {@code lo + k x
   * step} rounded to float, and exactly {@code hi} for the last.
   */
  public static float level(float lo, float hi, int levels, int k) {
    if (k >= levels - 1) {
      return hi;
    }
    return (float) (lo + k * step(lo, hi, levels));
  }

  /** The number of the level nearest to {@code v}, in 0 .. levels-1 (0 when {@code lo == hi}). */
  public static int code(float v, float lo, float hi, int levels) {
    double step = step(lo, hi, levels);
    if (!(step > 0)) {
      return 0;
    }
    long k = Math.round(((double) v - lo) / step);
    return (int) Math.min(levels - 1, Math.max(0, k));
  }

  private static double step(float lo, float hi, int levels) {
    return ((double) hi - lo) / (levels - 1);
  }

  /** Bytes of {@code n} values of {@code bits} bits: ceil(n bits / 8). */
  static long packedBytes(long n, int bits) {
    return (n * bits + 7) / 8;
  }
}
