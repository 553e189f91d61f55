package dev.splitlearn.he.rlwe;

import dev.splitlearn.he.ring.Modulus;
import dev.splitlearn.he.ring.Poly;
import dev.splitlearn.he.ring.Prng;
import dev.splitlearn.he.ring.Ring;
import java.io.IOException;

/**
 * A hybrid key-switching key from a secret {@code s_in} to {@code s_out}, with one RNS gadget digit
 * per Q prime: for digit {@code i}, {@code (b_i, a_i) = (-a_i s_out + e_i + [P]_{q_i} s_in delta_i,
 * a_i)} over Q and P in NTT form, where {@code delta_i} is 1 on row {@code i} and 0 elsewhere. All
 * {@code a_i} come from one 32-byte seed. Shoup companions of every row are precomputed for the
 * gadget product. Immutable.
 */
public final class SwitchingKey {

  private final Parameters params;
  private final byte[] seed;
  private final Poly[] b;
  private final Poly[] a;
  private final long[][][] bShoup;
  private final long[][][] aShoup;

  SwitchingKey(Parameters params, byte[] seed, Poly[] b, Poly[] a) {
    this.params = params;
    this.seed = seed.clone();
    this.b = b;
    this.a = a;
    this.bShoup = new long[b.length][][];
    this.aShoup = new long[a.length][][];
    for (int i = 0; i < b.length; i++) {
      bShoup[i] = shoupRows(params, b[i]);
      aShoup[i] = shoupRows(params, a[i]);
    }
  }

  static long[][] shoupRows(Parameters params, Poly p) {
    Ring ring = params.ring();
    long[][] s = new long[p.rows()][ring.n()];
    for (int r = 0; r < p.rows(); r++) {
      Modulus m = ring.modulus(r);
      long[] x = p.coeffs()[r];
      for (int k = 0; k < x.length; k++) {
        s[r][k] = m.shoup(x[k]);
      }
    }
    return s;
  }

  /**
   * @return the parameters
   */
  public Parameters params() {
    return params;
  }

  /**
   * @return the number of gadget digits (L + 1)
   */
  public int digits() {
    return b.length;
  }

  Poly b(int i) {
    return b[i];
  }

  Poly a(int i) {
    return a[i];
  }

  long[][] bShoup(int i) {
    return bShoup[i];
  }

  long[][] aShoup(int i) {
    return aShoup[i];
  }

  static int[] allRows(Parameters params) {
    return Wire.range(0, params.ring().moduliCount() - 1);
  }

  int bodySize() {
    return 8 + Prng.SEED_BYTES + b.length * Wire.rowsBytes(params.ring(), allRows(params));
  }

  void writeBody(Wire.Writer w) {
    w.i64(params.id()).bytes(seed);
    for (Poly bi : b) {
      w.rows(params.ring(), bi, allRows(params));
    }
  }

  static void checkId(Parameters params, Wire.Reader r) throws IOException {
    long id = r.i64("parameters id");
    if (id != params.id()) {
      throw r.error(
          String.format("parameters id %016x does not match the expected %016x", id, params.id()));
    }
  }

  static byte[] readSeed(Wire.Reader r) throws IOException {
    byte[] seed = r.bytes(Prng.SEED_BYTES, "seed");
    for (byte x : seed) {
      if (x != 0) {
        return seed;
      }
    }
    throw r.error("seed is missing (all zero)");
  }

  /** Reads the body written by {@link #writeBody}; the caller checks the checksum. */
  static SwitchingKey readBody(Parameters params, Wire.Reader r) throws IOException {
    checkId(params, r);
    byte[] seed = readSeed(r);
    int digits = params.qCount();
    Poly[] b = new Poly[digits];
    Poly[] a = new Poly[digits];
    int[] rows = allRows(params);
    for (int i = 0; i < digits; i++) {
      b[i] = params.ring().newPoly();
      r.rows(params.ring(), b[i], rows, "b[" + i + "]");
    }
    for (int i = 0; i < digits; i++) {
      a[i] = params.ring().newPoly();
      Uniform.expand(params.ring(), seed, i + 1, rows, a[i]);
    }
    return new SwitchingKey(params, seed, b, a);
  }
}
