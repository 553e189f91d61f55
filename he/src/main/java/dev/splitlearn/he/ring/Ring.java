package dev.splitlearn.he.ring;

import java.util.Arrays;

/**
 * The RNS ring {@code Z_Q[X]/(X^N + 1)} over a list of NTT-friendly primes, with coefficient-wise
 * operations that act on rows {@code 0..level} of {@link Poly} buffers.
 *
 * <p>Unless stated otherwise, inputs must be fully reduced (each row in {@code [0, q_i)}) and
 * outputs are fully reduced. Output buffers may alias inputs for the coefficient-wise operations.
 *
 * <p>Immutable and thread-safe; all mutable state lives in caller-owned buffers.
 */
public final class Ring {

  private final int n;
  private final int logN;
  private final SubRing[] subRings;

  /** inverse of modulus[last] modulo modulus[target], and its Shoup constant: [last][target]. */
  private final long[][] invLast;

  private final long[][] invLastShoup;

  /** floor(q_last / 2) mod q_target: [last][target]. */
  private final long[][] halfLast;

  /**
   * Builds the ring.
   *
   * @param logN log2 of the degree N
   * @param moduli distinct primes {@code = 1 mod 2N}, each below {@code 2^60}
   * @throws IllegalArgumentException if a modulus is unsuitable or moduli repeat
   */
  public Ring(int logN, long[] moduli) {
    if (moduli.length == 0) {
      throw new IllegalArgumentException("cannot create Ring: no moduli");
    }
    if (Arrays.stream(moduli).distinct().count() != moduli.length) {
      throw new IllegalArgumentException(
          "cannot create Ring: moduli are not distinct: " + Arrays.toString(moduli));
    }
    this.logN = logN;
    this.n = 1 << logN;
    this.subRings = new SubRing[moduli.length];
    for (int i = 0; i < moduli.length; i++) {
      subRings[i] = new SubRing(moduli[i], logN);
    }
    int k = moduli.length;
    invLast = new long[k][k];
    invLastShoup = new long[k][k];
    halfLast = new long[k][k];
    for (int last = 0; last < k; last++) {
      for (int t = 0; t < k; t++) {
        if (t == last) {
          continue;
        }
        Modulus mt = subRings[t].modulus();
        invLast[last][t] = mt.inv(mt.reduce(moduli[last]));
        invLastShoup[last][t] = mt.shoup(invLast[last][t]);
        halfLast[last][t] = mt.reduce(moduli[last] >>> 1);
      }
    }
  }

  /**
   * @return the degree N
   */
  public int n() {
    return n;
  }

  /**
   * @return log2 of N
   */
  public int logN() {
    return logN;
  }

  /**
   * @return the number of moduli
   */
  public int moduliCount() {
    return subRings.length;
  }

  /**
   * @param i row index
   * @return the sub-ring of row {@code i}
   */
  public SubRing subRing(int i) {
    return subRings[i];
  }

  /**
   * @param i row index
   * @return the modulus of row {@code i}
   */
  public Modulus modulus(int i) {
    return subRings[i].modulus();
  }

  /**
   * @return a new zero polynomial with one row per modulus
   */
  public Poly newPoly() {
    return new Poly(subRings.length, n);
  }

  /**
   * @param level last row
   * @return a new zero polynomial with rows {@code 0..level}
   */
  public Poly newPoly(int level) {
    return new Poly(level + 1, n);
  }

  /**
   * out = a + b on rows 0..level.
   *
   * @param level last row (level) operated on
   * @param a first operand
   * @param b second operand
   * @param out output (may alias an input)
   */
  public void add(int level, Poly a, Poly b, Poly out) {
    for (int i = 0; i <= level; i++) {
      long q = subRings[i].modulus().value();
      long[] x = a.coeffs()[i];
      long[] y = b.coeffs()[i];
      long[] z = out.coeffs()[i];
      for (int k = 0; k < n; k++) {
        long r = x[k] + y[k] - q;
        z[k] = r + ((r >> 63) & q);
      }
    }
  }

  /**
   * out = a - b on rows 0..level.
   *
   * @param level last row (level) operated on
   * @param a first operand
   * @param b second operand
   * @param out output (may alias an input)
   */
  public void sub(int level, Poly a, Poly b, Poly out) {
    for (int i = 0; i <= level; i++) {
      long q = subRings[i].modulus().value();
      long[] x = a.coeffs()[i];
      long[] y = b.coeffs()[i];
      long[] z = out.coeffs()[i];
      for (int k = 0; k < n; k++) {
        long r = x[k] - y[k];
        z[k] = r + ((r >> 63) & q);
      }
    }
  }

  /**
   * out = -a on rows 0..level.
   *
   * @param level last row (level) operated on
   * @param a first operand
   * @param out output (may alias an input)
   */
  public void neg(int level, Poly a, Poly out) {
    for (int i = 0; i <= level; i++) {
      long q = subRings[i].modulus().value();
      long[] x = a.coeffs()[i];
      long[] z = out.coeffs()[i];
      for (int k = 0; k < n; k++) {
        long r = q - x[k];
        z[k] = r == q ? 0 : r;
      }
    }
  }

  /**
   * out = a * b coefficient-wise (Barrett) on rows 0..level; in NTT form this is the ring product.
   *
   * @param level last row (level) operated on
   * @param a first operand
   * @param b second operand
   * @param out output (may alias an input)
   */
  public void mulCoeffs(int level, Poly a, Poly b, Poly out) {
    for (int i = 0; i <= level; i++) {
      mulRow(i, a.coeffs()[i], b.coeffs()[i], out.coeffs()[i]);
    }
  }

  /**
   * out += a * b coefficient-wise on rows 0..level.
   *
   * @param level last row (level) operated on
   * @param a first operand
   * @param b second operand
   * @param out output (may alias an input)
   */
  public void mulCoeffsThenAdd(int level, Poly a, Poly b, Poly out) {
    for (int i = 0; i <= level; i++) {
      mulAddRow(i, a.coeffs()[i], b.coeffs()[i], out.coeffs()[i]);
    }
  }

  /**
   * Row kernel: z = x * y mod q_row.
   *
   * @param row the modulus index
   * @param x first factor, in [0, q)
   * @param y second factor, in [0, q)
   * @param z output (may alias x or y)
   */
  public void mulRow(int row, long[] x, long[] y, long[] z) {
    mulRow(row, x, y, z, SubRing.VECTORS);
  }

  /** {@link #mulRow}, on vectors or not (tests compare the two). */
  void mulRow(int row, long[] x, long[] y, long[] z, boolean vectors) {
    Modulus m = subRings[row].modulus();
    int k0 = vectors ? VectorRows.mulRow(x, y, z, m, false) : 0; // the vectors leave the last n % 8
    for (int k = k0; k < n; k++) {
      z[k] = m.mul(x[k], y[k]);
    }
  }

  /**
   * Row kernel: z += x * y mod q_row.
   *
   * @param row the modulus index
   * @param x first factor, in [0, q)
   * @param y second factor, in [0, q)
   * @param z accumulator, in [0, q)
   */
  public void mulAddRow(int row, long[] x, long[] y, long[] z) {
    mulAddRow(row, x, y, z, SubRing.VECTORS);
  }

  /** {@link #mulAddRow}, on vectors or not (tests compare the two). */
  void mulAddRow(int row, long[] x, long[] y, long[] z, boolean vectors) {
    Modulus m = subRings[row].modulus();
    long q = m.value();
    int k0 = vectors ? VectorRows.mulRow(x, y, z, m, true) : 0; // the vectors leave the last n % 8
    for (int k = k0; k < n; k++) {
      long r = z[k] + m.mul(x[k], y[k]) - q;
      z[k] = r + ((r >> 63) & q);
    }
  }

  /**
   * out = a * c on rows 0..level, for a scalar given by its residues.
   *
   * @param level last row
   * @param a input
   * @param scalar residues {@code c mod q_i}, each in [0, q_i), at least level+1 entries
   * @param out output (may alias a)
   */
  public void mulScalarRns(int level, Poly a, long[] scalar, Poly out) {
    for (int i = 0; i <= level; i++) {
      Modulus m = subRings[i].modulus();
      long w = scalar[i];
      long ws = m.shoup(w);
      long[] x = a.coeffs()[i];
      long[] z = out.coeffs()[i];
      for (int k = 0; k < n; k++) {
        z[k] = m.mulShoup(x[k], w, ws);
      }
    }
  }

  /**
   * Forward NTT in place on rows 0..level.
   *
   * @param level last row (level) operated on
   * @param a first operand
   */
  public void ntt(int level, Poly a) {
    for (int i = 0; i <= level; i++) {
      subRings[i].forward(a.coeffs()[i]);
    }
  }

  /**
   * Inverse NTT in place on rows 0..level.
   *
   * @param level last row (level) operated on
   * @param a first operand
   */
  public void intt(int level, Poly a) {
    for (int i = 0; i <= level; i++) {
      subRings[i].inverse(a.coeffs()[i]);
    }
  }

  /**
   * Lifts a small signed polynomial (e.g. a secret or an error) into rows 0..level.
   *
   * @param level last row
   * @param signed N signed coefficients
   * @param out output in coefficient form
   */
  public void setSigned(int level, long[] signed, Poly out) {
    for (int i = 0; i <= level; i++) {
      setSignedRow(i, signed, out.coeffs()[i]);
    }
  }

  /**
   * Lifts a small signed polynomial into one row.
   *
   * @param row the modulus index
   * @param signed N signed coefficients
   * @param out output row
   */
  public void setSignedRow(int row, long[] signed, long[] out) {
    Modulus m = subRings[row].modulus();
    long q = m.value();
    for (int k = 0; k < n; k++) {
      long s = signed[k];
      if (s >= 0 && s < q) {
        out[k] = s;
      } else if (s < 0 && s > -q) {
        out[k] = s + q;
      } else {
        out[k] = m.reduceSigned(s);
      }
    }
  }

  /**
   * Permutes NTT evaluations for the automorphism X -> X^galEl: {@code out[i] = in[index[i]]} on
   * rows 0..level.
   *
   * @param level last row
   * @param in input in NTT form
   * @param index permutation from {@link Automorphism#nttIndex}
   * @param out output, must not alias {@code in}
   */
  public void permuteNtt(int level, Poly in, int[] index, Poly out) {
    if (in == out) {
      throw new IllegalArgumentException("cannot permuteNtt in place");
    }
    for (int i = 0; i <= level; i++) {
      long[] x = in.coeffs()[i];
      long[] z = out.coeffs()[i];
      for (int k = 0; k < n; k++) {
        z[k] = x[index[k]];
      }
    }
  }

  /**
   * Divides by the modulus of row {@code last} with rounding, in NTT form: for each target row t,
   * {@code p_t <- round(p / q_last) mod q_t}. Row {@code last} is left unspecified.
   *
   * @param p polynomial in NTT form
   * @param last index of the modulus divided out
   * @param targets indices of the rows to update (must not contain {@code last})
   * @param tmp scratch of length N
   * @param tmp2 scratch of length N
   */
  public void divRoundByLastNtt(Poly p, int last, int[] targets, long[] tmp, long[] tmp2) {
    divRoundByLastNtt(p, p, last, targets, tmp, tmp2);
  }

  /**
   * Out-of-place {@link #divRoundByLastNtt(Poly, int, int[], long[], long[])}: reads {@code in},
   * writes the target rows of {@code out} (which may be {@code in}).
   *
   * @param in polynomial in NTT form
   * @param out output polynomial
   * @param last index of the modulus divided out
   * @param targets indices of the rows to write
   * @param tmp scratch of length N
   * @param tmp2 scratch of length N
   */
  public void divRoundByLastNtt(
      Poly in, Poly out, int last, int[] targets, long[] tmp, long[] tmp2) {
    long[] lastRow = tmp;
    System.arraycopy(in.coeffs()[last], 0, lastRow, 0, n);
    subRings[last].inverse(lastRow);
    addHalf(last, lastRow);
    for (int t : targets) {
      Modulus mt = subRings[t].modulus();
      long qt = mt.value();
      centeredInto(last, t, lastRow, tmp2);
      subRings[t].forward(tmp2);
      long w = invLast[last][t];
      long ws = invLastShoup[last][t];
      long[] x = in.coeffs()[t];
      long[] z = out.coeffs()[t];
      for (int k = 0; k < n; k++) {
        z[k] = mt.mulShoup(x[k] - tmp2[k] + qt, w, ws);
      }
    }
  }

  /**
   * Same as {@link #divRoundByLastNtt} for a polynomial in coefficient form.
   *
   * @param p polynomial in coefficient form
   * @param last index of the modulus divided out
   * @param targets indices of the rows to update
   * @param tmp scratch of length N
   */
  public void divRoundByLast(Poly p, int last, int[] targets, long[] tmp) {
    long[] lastRow = tmp;
    System.arraycopy(p.coeffs()[last], 0, lastRow, 0, n);
    addHalf(last, lastRow);
    long qLast = subRings[last].modulus().value();
    for (int t : targets) {
      Modulus mt = subRings[t].modulus();
      long qt = mt.value();
      long half = halfLast[last][t];
      long w = invLast[last][t];
      long ws = invLastShoup[last][t];
      long[] x = p.coeffs()[t];
      boolean small = qLast <= qt;
      for (int k = 0; k < n; k++) {
        long v = small ? lastRow[k] : mt.reduce(lastRow[k]);
        long r = v - half;
        r += (r >> 63) & qt; // (v - half) mod qt in [0, qt)
        x[k] = mt.mulShoup(x[k] - r + qt, w, ws);
      }
    }
  }

  private void addHalf(int last, long[] row) {
    long q = subRings[last].modulus().value();
    long half = q >>> 1;
    for (int k = 0; k < n; k++) {
      long r = row[k] + half - q;
      row[k] = r + ((r >> 63) & q);
    }
  }

  /** out = (row + half - half) as a centered representative reduced mod q_t, in [0, 2 q_t). */
  private void centeredInto(int last, int t, long[] row, long[] out) {
    Modulus mt = subRings[t].modulus();
    long qt = mt.value();
    long half = halfLast[last][t];
    boolean small = subRings[last].modulus().value() <= qt;
    for (int k = 0; k < n; k++) {
      long v = small ? row[k] : mt.reduce(row[k]);
      out[k] = v - half + qt;
    }
  }

  /**
   * Row kernel of key switching's gadget product: {@code acc0 (+)= t * b}, {@code acc1 (+)= t * a}
   * coefficient-wise, lazily in {@code [0, 2q)}, with Shoup constants of the key rows.
   *
   * @param q the row's modulus
   * @param t the digit's row, values below 2^62
   * @param b key row b
   * @param bs Shoup constants of b at 2^63 precision ({@link Modulus#shoup})
   * @param a key row a
   * @param as Shoup constants of a
   * @param acc0 accumulator of the products with b, in [0, 2q)
   * @param acc1 accumulator of the products with a, in [0, 2q)
   * @param first whether to overwrite the accumulators instead of adding to them
   */
  public static void gadgetProductRow(
      long q,
      long[] t,
      long[] b,
      long[] bs,
      long[] a,
      long[] as,
      long[] acc0,
      long[] acc1,
      boolean first) {
    gadgetProductRow(q, t, b, bs, a, as, acc0, acc1, first, SubRing.VECTORS);
  }

  /** {@link #gadgetProductRow}, on vectors or not (tests compare the two). */
  static void gadgetProductRow(
      long q,
      long[] t,
      long[] b,
      long[] bs,
      long[] a,
      long[] as,
      long[] acc0,
      long[] acc1,
      boolean first,
      boolean vectors) {
    long twoQ = 2 * q;
    int n = t.length;
    int k0 =
        vectors
            ? VectorRows.gadgetProductRow(q, t, b, bs, a, as, acc0, acc1, first)
            : 0; // the vectors leave the last n % 8
    if (first) {
      for (int k = k0; k < n; k++) {
        long x = t[k];
        long x2 = x << 1;
        acc0[k] = x * b[k] - Math.multiplyHigh(x2, bs[k]) * q;
        acc1[k] = x * a[k] - Math.multiplyHigh(x2, as[k]) * q;
      }
    } else {
      for (int k = k0; k < n; k++) {
        long x = t[k];
        long x2 = x << 1;
        long r0 = acc0[k] + x * b[k] - Math.multiplyHigh(x2, bs[k]) * q - twoQ;
        long r1 = acc1[k] + x * a[k] - Math.multiplyHigh(x2, as[k]) * q - twoQ;
        acc0[k] = r0 + ((r0 >> 63) & twoQ);
        acc1[k] = r1 + ((r1 >> 63) & twoQ);
      }
    }
  }
}
