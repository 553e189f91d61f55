package dev.splitlearn.he.ckks;

import dev.splitlearn.he.ring.Automorphism;
import dev.splitlearn.he.ring.Modulus;
import dev.splitlearn.he.ring.Poly;
import dev.splitlearn.he.ring.Ring;
import dev.splitlearn.he.rlwe.Ciphertext;
import dev.splitlearn.he.rlwe.EvaluationKeySet;
import dev.splitlearn.he.rlwe.GaloisKey;
import dev.splitlearn.he.rlwe.KeySwitcher;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.Plaintext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Homomorphic CKKS operations on {@link Ciphertext}s in NTT form.
 *
 * <p>Conventions (as lattigo's {@code schemes/ckks/evaluator.go}): {@code op(a, b, out)} writes
 * into {@code out}, which may be one of the inputs and is resized to the result's degree and level;
 * {@code opNew(a, b)} allocates. Binary operations work at the smaller of the two levels. Results
 * of additions keep the first operand's scale; multiplications multiply scales; {@link #rescale}
 * divides the scale by the dropped prime.
 *
 * <p><b>Thread safety:</b> an evaluator is <em>not</em> thread-safe: it owns scratch buffers. Keys,
 * parameters and precomputed tables are immutable and shared, so {@link #copy()} is cheap (it only
 * allocates new scratch buffers); give each thread its own copy.
 */
public final class Evaluator {

  /** Relative scale mismatch above which additions are refused. */
  public static final double SCALE_TOLERANCE = 0x1p-40;

  private final Parameters params;
  private final Ring ring;
  private final EvaluationKeySet keys;
  private final Map<Long, int[]> nttIndexCache;
  private final KeySwitcher keySwitcher;
  private final Poly tmp0;
  private final Poly tmp1;
  private final Poly tmp2;
  private final long[] row0;
  private final long[] row1;
  private final long[] scalar;
  private final Ciphertext tensor;
  private Ciphertext rotated;

  /**
   * An evaluator without evaluation keys (addition, plaintext and constant products, rescale).
   *
   * @param params the parameters
   */
  public Evaluator(Parameters params) {
    this(params, EvaluationKeySet.empty());
  }

  /**
   * @param params the parameters
   * @param keys evaluation keys (relinearisation and Galois keys)
   */
  public Evaluator(Parameters params, EvaluationKeySet keys) {
    this(params, keys, new ConcurrentHashMap<>());
  }

  private Evaluator(Parameters params, EvaluationKeySet keys, Map<Long, int[]> cache) {
    this.params = params;
    this.ring = params.ring();
    this.keys = keys;
    this.nttIndexCache = cache;
    this.keySwitcher = new KeySwitcher(params);
    this.tmp0 = ring.newPoly();
    this.tmp1 = ring.newPoly();
    this.tmp2 = ring.newPoly();
    this.row0 = new long[ring.n()];
    this.row1 = new long[ring.n()];
    this.scalar = new long[ring.moduliCount()];
    this.tensor = new Ciphertext(params, 2, params.maxLevel());
  }

  /**
   * @return an evaluator sharing keys and tables but with its own scratch buffers, for another
   *     thread
   */
  public Evaluator copy() {
    return new Evaluator(params, keys, nttIndexCache);
  }

  /**
   * @param newKeys other evaluation keys
   * @return an evaluator with its own scratch buffers using {@code newKeys}
   */
  public Evaluator withKeys(EvaluationKeySet newKeys) {
    return new Evaluator(params, newKeys, nttIndexCache);
  }

  /**
   * @return the parameters
   */
  public Parameters params() {
    return params;
  }

  private void checkParams(String op, Ciphertext ct) {
    if (ct.params().id() != params.id()) {
      throw new IllegalArgumentException(
          "cannot " + op + ": ciphertext was made for other parameters");
    }
  }

  private void checkParams(String op, Plaintext pt) {
    if (pt.params().id() != params.id()) {
      throw new IllegalArgumentException(
          "cannot " + op + ": plaintext was made for other parameters");
    }
  }

  private static void checkScales(String op, double a, double b) {
    if (Math.abs(a / b - 1) > SCALE_TOLERANCE) {
      throw new IllegalArgumentException(
          "cannot "
              + op
              + ": scales differ: "
              + a
              + " vs "
              + b
              + " (relative tolerance "
              + SCALE_TOLERANCE
              + "); rescale or re-encode first");
    }
  }

  // ------------------------------------------------------------------ addition

  /**
   * out = a + b (ciphertexts of any degree; scales must agree within {@link #SCALE_TOLERANCE}).
   *
   * @param a first operand
   * @param b second operand
   * @param out output: level min(a, b), degree max(a, b), scale of {@code a}
   * @throws IllegalArgumentException if the scales differ or parameters mismatch
   */
  public void add(Ciphertext a, Ciphertext b, Ciphertext out) {
    addSub("Add", a, b, out, false);
  }

  /**
   * @param a first operand
   * @param b second operand
   * @return a new ciphertext a + b, see {@link #add(Ciphertext, Ciphertext, Ciphertext)}
   */
  public Ciphertext addNew(Ciphertext a, Ciphertext b) {
    Ciphertext out =
        new Ciphertext(params, Math.max(a.degree(), b.degree()), Math.min(a.level(), b.level()));
    add(a, b, out);
    return out;
  }

  /**
   * out = a - b, see {@link #add(Ciphertext, Ciphertext, Ciphertext)}.
   *
   * @param a first operand
   * @param b second operand
   * @param out output
   */
  public void sub(Ciphertext a, Ciphertext b, Ciphertext out) {
    addSub("Sub", a, b, out, true);
  }

  /**
   * @param a first operand
   * @param b second operand
   * @return a new ciphertext a - b
   */
  public Ciphertext subNew(Ciphertext a, Ciphertext b) {
    Ciphertext out =
        new Ciphertext(params, Math.max(a.degree(), b.degree()), Math.min(a.level(), b.level()));
    sub(a, b, out);
    return out;
  }

  private void addSub(String op, Ciphertext a, Ciphertext b, Ciphertext out, boolean sub) {
    checkParams(op, a);
    checkParams(op, b);
    checkScales(op, a.scale(), b.scale());
    int level = Math.min(a.level(), b.level());
    int degA = a.degree();
    int degB = b.degree();
    int deg = Math.max(degA, degB);
    double scale = a.scale();
    out.resize(deg, level);
    for (int i = 0; i <= deg; i++) {
      if (i <= degA && i <= degB) {
        if (sub) {
          ring.sub(level, a.value(i), b.value(i), out.value(i));
        } else {
          ring.add(level, a.value(i), b.value(i), out.value(i));
        }
      } else if (i <= degA) {
        if (out.value(i) != a.value(i)) {
          out.value(i).copyFrom(a.value(i), level);
        }
      } else if (sub) {
        ring.neg(level, b.value(i), out.value(i));
      } else if (out.value(i) != b.value(i)) {
        out.value(i).copyFrom(b.value(i), level);
      }
    }
    out.setScale(scale);
  }

  /**
   * out = ct + pt (scales must agree within {@link #SCALE_TOLERANCE}).
   *
   * @param ct ciphertext
   * @param pt plaintext (NTT form)
   * @param out output: level min(ct, pt), degree of ct, scale of ct
   */
  public void add(Ciphertext ct, Plaintext pt, Ciphertext out) {
    addSubPlain("Add", ct, pt, out, false);
  }

  /**
   * @param ct input ciphertext
   * @param pt plaintext (NTT form)
   * @return a new ciphertext ct + pt
   */
  public Ciphertext addNew(Ciphertext ct, Plaintext pt) {
    Ciphertext out = new Ciphertext(params, ct.degree(), Math.min(ct.level(), pt.level()));
    add(ct, pt, out);
    return out;
  }

  /**
   * out = ct - pt.
   *
   * @param ct ciphertext
   * @param pt plaintext
   * @param out output
   */
  public void sub(Ciphertext ct, Plaintext pt, Ciphertext out) {
    addSubPlain("Sub", ct, pt, out, true);
  }

  /**
   * @param ct input ciphertext
   * @param pt plaintext (NTT form)
   * @return a new ciphertext ct - pt
   */
  public Ciphertext subNew(Ciphertext ct, Plaintext pt) {
    Ciphertext out = new Ciphertext(params, ct.degree(), Math.min(ct.level(), pt.level()));
    sub(ct, pt, out);
    return out;
  }

  private void addSubPlain(String op, Ciphertext ct, Plaintext pt, Ciphertext out, boolean sub) {
    checkParams(op, ct);
    checkParams(op, pt);
    checkScales(op, ct.scale(), pt.scale());
    int level = Math.min(ct.level(), pt.level());
    double scale = ct.scale();
    out.resize(ct.degree(), level);
    if (sub) {
      ring.sub(level, ct.value(0), pt.value(), out.value(0));
    } else {
      ring.add(level, ct.value(0), pt.value(), out.value(0));
    }
    for (int i = 1; i <= ct.degree(); i++) {
      if (out.value(i) != ct.value(i)) {
        out.value(i).copyFrom(ct.value(i), level);
      }
    }
    out.setScale(scale);
  }

  // ------------------------------------------------------------------ products with plaintexts and
  // constants

  /**
   * out = ct * pt (slot-wise product).
   *
   * @param ct ciphertext
   * @param pt plaintext (NTT form)
   * @param out output: level min(ct, pt), degree of ct, scale ct.scale * pt.scale
   */
  public void mul(Ciphertext ct, Plaintext pt, Ciphertext out) {
    checkParams("Mul", ct);
    checkParams("Mul", pt);
    int level = Math.min(ct.level(), pt.level());
    double scale = ct.scale() * pt.scale();
    out.resize(ct.degree(), level);
    for (int i = 0; i <= ct.degree(); i++) {
      ring.mulCoeffs(level, ct.value(i), pt.value(), out.value(i));
    }
    out.setScale(scale);
  }

  /**
   * @param ct input ciphertext
   * @param pt plaintext (NTT form)
   * @return a new ciphertext ct * pt
   */
  public Ciphertext mulNew(Ciphertext ct, Plaintext pt) {
    Ciphertext out = new Ciphertext(params, ct.degree(), Math.min(ct.level(), pt.level()));
    mul(ct, pt, out);
    return out;
  }

  /**
   * out = ct * c for a real constant. An integer {@code c} (|c| &lt; 2^53) is applied exactly and
   * keeps the scale; otherwise {@code round(c * q_level)} is applied and the scale is multiplied by
   * {@code q_level}, so that a following {@link #rescale} restores the original scale (lattigo's
   * convention).
   *
   * @param ct ciphertext
   * @param c the constant, finite
   * @param out output, same level and degree as ct
   * @throws IllegalArgumentException if c is not finite, or c is not an integer and ct is at level
   *     0
   */
  public void mul(Ciphertext ct, double c, Ciphertext out) {
    checkParams("Mul", ct);
    if (Double.isNaN(c) || Double.isInfinite(c)) {
      throw new IllegalArgumentException("cannot Mul: constant " + c + " is not finite");
    }
    int level = ct.level();
    double constScale;
    double scaled;
    if (c == Math.rint(c) && Math.abs(c) < 0x1p53) {
      constScale = 1;
      scaled = c;
    } else {
      if (level == 0) {
        throw new IllegalArgumentException(
            "cannot Mul: non-integer constant "
                + c
                + " needs a prime to rescale by, but the ciphertext is at level 0");
      }
      constScale = ring.modulus(level).value();
      scaled = c * constScale;
    }
    for (int i = 0; i <= level; i++) {
      scalar[i] = ring.modulus(i).reduceDouble(scaled);
    }
    double scale = ct.scale() * constScale;
    out.resize(ct.degree(), level);
    for (int i = 0; i <= ct.degree(); i++) {
      ring.mulScalarRns(level, ct.value(i), scalar, out.value(i));
    }
    out.setScale(scale);
  }

  /**
   * @param ct input ciphertext
   * @param c the constant, finite
   * @return a new ciphertext ct * c, see {@link #mul(Ciphertext, double, Ciphertext)}
   */
  public Ciphertext mulNew(Ciphertext ct, double c) {
    Ciphertext out = new Ciphertext(params, ct.degree(), ct.level());
    mul(ct, c, out);
    return out;
  }

  // ------------------------------------------------------------------ ciphertext products

  /**
   * out = a * b without relinearisation (degree 2).
   *
   * @param a degree-1 ciphertext
   * @param b degree-1 ciphertext
   * @param out output: degree 2, level min(a, b), scale a.scale * b.scale
   * @throws IllegalArgumentException if an input is not of degree 1
   */
  public void mul(Ciphertext a, Ciphertext b, Ciphertext out) {
    checkParams("Mul", a);
    checkParams("Mul", b);
    if (a.degree() != 1 || b.degree() != 1) {
      throw new IllegalArgumentException(
          "cannot Mul: input degrees must be 1, got "
              + a.degree()
              + " and "
              + b.degree()
              + "; relinearize first");
    }
    int level = Math.min(a.level(), b.level());
    double scale = a.scale() * b.scale();
    long[][] a0 = a.value(0).coeffs();
    long[][] a1 = a.value(1).coeffs();
    long[][] b0 = b.value(0).coeffs();
    long[][] b1 = b.value(1).coeffs();
    out.resize(2, level);
    long[][] d0 = out.value(0).coeffs();
    long[][] d1 = out.value(1).coeffs();
    long[][] d2 = out.value(2).coeffs();
    int n = ring.n();
    for (int r = 0; r <= level; r++) {
      Modulus m = ring.modulus(r);
      long q = m.value();
      long[] x0 = a0[r];
      long[] x1 = a1[r];
      long[] y0 = b0[r];
      long[] y1 = b1[r];
      long[] z0 = d0[r];
      long[] z1 = d1[r];
      long[] z2 = d2[r];
      for (int k = 0; k < n; k++) {
        long u0 = x0[k];
        long u1 = x1[k];
        long v0 = y0[k];
        long v1 = y1[k];
        long c1 = m.mul(u0, v1) + m.mul(u1, v0) - q;
        z0[k] = m.mul(u0, v0);
        z1[k] = c1 + ((c1 >> 63) & q);
        z2[k] = m.mul(u1, v1);
      }
    }
    out.setScale(scale);
  }

  /**
   * @param a first operand
   * @param b second operand
   * @return a new degree-2 ciphertext a * b
   */
  public Ciphertext mulNew(Ciphertext a, Ciphertext b) {
    Ciphertext out = new Ciphertext(params, 2, Math.min(a.level(), b.level()));
    mul(a, b, out);
    return out;
  }

  /**
   * out = relinearize(a * b): degree 1, level min(a, b), scale a.scale * b.scale (call {@link
   * #rescale} next).
   *
   * @param a degree-1 ciphertext
   * @param b degree-1 ciphertext
   * @param out output
   * @throws IllegalStateException if there is no relinearisation key
   */
  public void mulRelin(Ciphertext a, Ciphertext b, Ciphertext out) {
    keys.relinearizationKey("MulRelin");
    mul(a, b, tensor);
    relinearize(tensor, out);
  }

  /**
   * @param a first operand
   * @param b second operand
   * @return a new ciphertext relinearize(a * b)
   */
  public Ciphertext mulRelinNew(Ciphertext a, Ciphertext b) {
    Ciphertext out = new Ciphertext(params, 1, Math.min(a.level(), b.level()));
    mulRelin(a, b, out);
    return out;
  }

  /**
   * Relinearises a degree-2 ciphertext to degree 1 with the relinearisation key (a degree-1 input
   * is copied).
   *
   * @param ct input
   * @param out output: degree 1, same level and scale
   * @throws IllegalStateException if there is no relinearisation key
   */
  public void relinearize(Ciphertext ct, Ciphertext out) {
    checkParams("Relinearize", ct);
    int level = ct.level();
    double scale = ct.scale();
    if (ct.degree() == 1) {
      copyInto(ct, out);
      return;
    }
    var rlk = keys.relinearizationKey("Relinearize").switchingKey();
    keySwitcher.keySwitch(level, ct.value(2), rlk, tmp0, tmp1);
    ring.add(level, ct.value(0), tmp0, tmp0);
    ring.add(level, ct.value(1), tmp1, tmp1);
    out.resize(1, level);
    out.value(0).copyFrom(tmp0, level);
    out.value(1).copyFrom(tmp1, level);
    out.setScale(scale);
  }

  /**
   * @param ct input ciphertext
   * @return a new relinearised ciphertext
   */
  public Ciphertext relinearizeNew(Ciphertext ct) {
    Ciphertext out = new Ciphertext(params, 1, ct.level());
    relinearize(ct, out);
    return out;
  }

  // ------------------------------------------------------------------ rescale

  /**
   * Divides by the last prime {@code q_level} with rounding: level - 1, scale / q_level.
   *
   * @param ct input at level &gt;= 1
   * @param out output (may be ct)
   * @throws IllegalArgumentException if the input is at level 0
   */
  public void rescale(Ciphertext ct, Ciphertext out) {
    checkParams("Rescale", ct);
    int level = ct.level();
    if (level == 0) {
      throw new IllegalArgumentException("cannot Rescale: input ciphertext level is too low (0)");
    }
    double scale = ct.scale() / ring.modulus(level).value();
    int[] targets = new int[level];
    for (int i = 0; i < level; i++) {
      targets[i] = i;
    }
    int degree = ct.degree();
    if (out == ct) {
      for (int i = 0; i <= degree; i++) {
        ring.divRoundByLastNtt(ct.value(i), level, targets, row0, row1);
      }
      out.resize(degree, level - 1);
    } else {
      out.resize(degree, level - 1);
      for (int i = 0; i <= degree; i++) {
        ring.divRoundByLastNtt(ct.value(i), out.value(i), level, targets, row0, row1);
      }
    }
    out.setScale(scale);
  }

  /**
   * @param ct input ciphertext
   * @return a new rescaled ciphertext
   */
  public Ciphertext rescaleNew(Ciphertext ct) {
    Ciphertext out = new Ciphertext(params, ct.degree(), Math.max(0, ct.level() - 1));
    rescale(ct, out);
    return out;
  }

  // ------------------------------------------------------------------ rotations

  /**
   * Rotates the slots left by {@code k}: slot {@code i} of the result holds slot {@code (i + k) mod
   * N/2} of the input. Negative {@code k} rotates right. Needs the Galois key for {@code 5^k mod
   * 2N}.
   *
   * @param ct degree-1 input
   * @param k rotation amount
   * @param out output, same level and scale
   * @throws IllegalArgumentException if the input is not of degree 1
   * @throws IllegalStateException if the Galois key is missing
   */
  public void rotate(Ciphertext ct, int k, Ciphertext out) {
    checkParams("Rotate", ct);
    long galEl = params.galoisElementForRotation(k);
    if (galEl == 1) {
      copyInto(ct, out);
      return;
    }
    if (ct.degree() != 1) {
      throw new IllegalArgumentException(
          "cannot Rotate: input degree must be 1, got " + ct.degree());
    }
    GaloisKey key = keys.galoisKey(galEl, "Rotate");
    int[] index =
        nttIndexCache.computeIfAbsent(galEl, g -> Automorphism.nttIndex(params.logN(), g));
    int level = ct.level();
    double scale = ct.scale();
    ring.permuteNtt(level, ct.value(0), index, tmp0);
    ring.permuteNtt(level, ct.value(1), index, tmp1);
    keySwitcher.keySwitch(level, tmp1, key.switchingKey(), tmp2, tmp1);
    out.resize(1, level);
    ring.add(level, tmp0, tmp2, out.value(0));
    out.value(1).copyFrom(tmp1, level);
    out.setScale(scale);
  }

  /**
   * @param ct input ciphertext
   * @param k rotation amount in slots
   * @return a new rotated ciphertext, see {@link #rotate(Ciphertext, int, Ciphertext)}
   */
  public Ciphertext rotateNew(Ciphertext ct, int k) {
    Ciphertext out = new Ciphertext(params, 1, ct.level());
    rotate(ct, k, out);
    return out;
  }

  /**
   * Rotate-and-sum: slot {@code i} of the result is {@code sum_{t < count} slot (i + t * step)} of
   * the input, computed with {@code log2(count)} rotations by {@code step * 2^j}.
   *
   * @param ct degree-1 input
   * @param step distance between summed slots
   * @param count number of summed slots, a power of two
   * @param out output, same level and scale
   * @throws IllegalArgumentException if count is not a positive power of two
   * @throws IllegalStateException if a needed Galois key is missing
   */
  public void rotateAndSum(Ciphertext ct, int step, int count, Ciphertext out) {
    if (count < 1 || Integer.bitCount(count) != 1) {
      throw new IllegalArgumentException(
          "cannot RotateAndSum: count " + count + " is not a power of two");
    }
    if (rotated == null) {
      rotated = new Ciphertext(params, 1, params.maxLevel());
    }
    copyInto(ct, out);
    for (int s = 1; s < count; s <<= 1) {
      rotate(out, step * s, rotated);
      add(out, rotated, out);
    }
  }

  /**
   * @param ct input ciphertext
   * @param step distance between summed slots
   * @param count number of summed slots, a power of two
   * @return a new ciphertext, see {@link #rotateAndSum(Ciphertext, int, int, Ciphertext)}
   */
  public Ciphertext rotateAndSumNew(Ciphertext ct, int step, int count) {
    Ciphertext out = new Ciphertext(params, 1, ct.level());
    rotateAndSum(ct, step, count, out);
    return out;
  }

  private void copyInto(Ciphertext ct, Ciphertext out) {
    if (ct == out) {
      return;
    }
    out.resize(ct.degree(), ct.level());
    for (int i = 0; i <= ct.degree(); i++) {
      out.value(i).copyFrom(ct.value(i), ct.level());
    }
    out.setScale(ct.scale());
  }
}
