package dev.splitlearn.he.ring;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row kernels on eight 64-bit lanes at a time, through the JDK's vector API: the wide stages of
 * {@link SubRing}'s transforms (butterfly gap of 8 or more), key switching's gadget product ({@link
 * Ring#gadgetProductRow}) and the Barrett row products ({@link Ring#mulRow}, {@link
 * Ring#mulAddRow}). They compute exactly what the scalar code computes, so the results are the same
 * bit for bit.
 *
 * <p>Loaded only when {@link SubRing} found the {@code jdk.incubator.vector} module in the JVM
 * ({@code --add-modules jdk.incubator.vector}) and {@link #supported()} says its 512-bit shapes
 * compile to machine vectors (AVX-512). Elsewhere the scalar code runs.
 *
 * <p>Each kernel is one method with its loop and the whole vector body, and calls nothing of ours:
 * a vector passed to a method the JIT does not inline is boxed, and a helper called per eight lanes
 * is often not inlined (once its first, unoptimised compilation is large, the JIT refuses to inline
 * it), which cost up to half the gain in measurements here. So the Shoup product is spelled out in
 * each kernel: {@code v * w - hi(v * ws) * q}, the high half of the product from 32-bit halves
 * (Hacker's Delight, mulhs), as there is no vector instruction for it.
 */
final class VectorRows {
  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_512;
  private static final long LOW = 0xFFFFFFFFL;

  /** Lanes per vector, and the smallest butterfly gap these stages take. */
  static final int LANES = 8;

  private VectorRows() {}

  /**
   * {@link Ring#gadgetProductRow} on the first {@code n - n % LANES} coefficients; returns that
   * count, the caller does the rest: {@code acc0 (+)= t * b}, {@code acc1 (+)= t * a}, lazily in
   * [0, 2q), with Shoup constants at 2^63 precision (both factors of the high product are
   * non-negative).
   */
  static int gadgetProductRow(
      long q,
      long[] t,
      long[] b,
      long[] bs,
      long[] a,
      long[] as,
      long[] acc0,
      long[] acc1,
      boolean first) {
    final long twoQ = 2 * q;
    final int end = t.length - t.length % LANES;
    for (int pass = 0; pass < 2; pass++) {
      final long[] w = pass == 0 ? b : a;
      final long[] ws = pass == 0 ? bs : as;
      final long[] acc = pass == 0 ? acc0 : acc1;
      for (int k = 0; k < end; k += LANES) {
        LongVector x = LongVector.fromArray(LONGS, t, k);
        LongVector x2 = x.lanewise(VectorOperators.LSHL, 1);
        LongVector s = LongVector.fromArray(LONGS, ws, k);
        LongVector xLo = x2.and(LOW);
        LongVector xHi = x2.lanewise(VectorOperators.LSHR, 32);
        LongVector sLo = s.and(LOW);
        LongVector sHi = s.lanewise(VectorOperators.LSHR, 32);
        LongVector c = xLo.mul(sLo).lanewise(VectorOperators.LSHR, 32).add(xHi.mul(sLo));
        LongVector d = c.and(LOW).add(xLo.mul(sHi));
        LongVector high =
            xHi.mul(sHi)
                .add(c.lanewise(VectorOperators.LSHR, 32))
                .add(d.lanewise(VectorOperators.LSHR, 32));
        LongVector product = x.mul(LongVector.fromArray(LONGS, w, k)).sub(high.mul(q));
        if (first) {
          product.intoArray(acc, k);
        } else {
          LongVector r = LongVector.fromArray(LONGS, acc, k).add(product).sub(twoQ);
          r.add(twoQ, r.compare(VectorOperators.LT, 0)).intoArray(acc, k);
        }
      }
    }
    return end;
  }

  /** Whether 512-bit long vectors are this JVM's preferred shape, i.e. run as machine vectors. */
  static boolean supported() {
    return LongVector.SPECIES_PREFERRED.length() >= LANES;
  }

  /**
   * One forward (Cooley-Tukey) stage of gap {@code t} over {@code m} blocks, as {@link
   * SubRing#forward}: x in [0, 4q) is guarded to [0, 2q), y * w is a lazy Shoup product with the
   * centred twiddle w and its signed constant ({@link Modulus#shoupSigned}).
   */
  static void forwardStage(long[] a, int m, int t, long q, long[] w, long[] ws) {
    final long twoQ = 2 * q;
    for (int i = 0; i < m; i++) {
      final long wi = w[m + i];
      final long wsLo = ws[m + i] & LOW;
      final long wsHi = ws[m + i] >> 32;
      final int j1 = 2 * i * t;
      for (int j = j1; j < j1 + t; j += LANES) {
        LongVector x = LongVector.fromArray(LONGS, a, j);
        LongVector y = LongVector.fromArray(LONGS, a, j + t);
        x = x.sub(twoQ, x.compare(VectorOperators.GE, twoQ));
        LongVector yLo = y.and(LOW);
        LongVector yHi = y.lanewise(VectorOperators.LSHR, 32);
        LongVector c = yLo.mul(wsLo).lanewise(VectorOperators.LSHR, 32).add(yHi.mul(wsLo));
        LongVector d = c.and(LOW).add(yLo.mul(wsHi));
        LongVector high =
            yHi.mul(wsHi)
                .add(c.lanewise(VectorOperators.ASHR, 32))
                .add(d.lanewise(VectorOperators.ASHR, 32));
        LongVector v = y.mul(wi).sub(high.mul(q));
        x.add(v).intoArray(a, j);
        x.sub(v).add(twoQ).intoArray(a, j + t);
      }
    }
  }

  /**
   * One inverse (Gentleman-Sande) stage of gap {@code t}, as {@link SubRing#inverse}: the sum is
   * guarded to [0, 2q), the difference (plus 2q) goes through a lazy Shoup product.
   */
  static void inverseStage(long[] a, int n, int t, long q, long[] w, long[] ws) {
    final long twoQ = 2 * q;
    final int h = n / (2 * t);
    for (int i = 0, j1 = 0; i < h; i++, j1 += 2 * t) {
      final long wi = w[h + i];
      final long wsLo = ws[h + i] & LOW;
      final long wsHi = ws[h + i] >> 32;
      for (int j = j1; j < j1 + t; j += LANES) {
        LongVector x = LongVector.fromArray(LONGS, a, j);
        LongVector y = LongVector.fromArray(LONGS, a, j + t);
        LongVector u = x.add(y);
        LongVector v = x.sub(y).add(twoQ);
        LongVector vLo = v.and(LOW);
        LongVector vHi = v.lanewise(VectorOperators.LSHR, 32);
        LongVector c = vLo.mul(wsLo).lanewise(VectorOperators.LSHR, 32).add(vHi.mul(wsLo));
        LongVector d = c.and(LOW).add(vLo.mul(wsHi));
        LongVector high =
            vHi.mul(wsHi)
                .add(c.lanewise(VectorOperators.ASHR, 32))
                .add(d.lanewise(VectorOperators.ASHR, 32));
        u.sub(twoQ, u.compare(VectorOperators.GE, twoQ)).intoArray(a, j);
        v.mul(wi).sub(high.mul(q)).intoArray(a, j + t);
      }
    }
  }

  /**
   * The inverse transform's last stage (gap N/2) with the multiplication by N^-1 and the reduction
   * to [0, q): {@code a[j] = (x + y) / N} (constant w0), {@code a[j + half] = (x - y) * w / N}
   * (constant w1).
   */
  static void inverseLastStage(long[] a, int half, long q, long w0, long ws0, long w1, long ws1) {
    final long twoQ = 2 * q;
    final long ws0Lo = ws0 & LOW;
    final long ws0Hi = ws0 >> 32;
    final long ws1Lo = ws1 & LOW;
    final long ws1Hi = ws1 >> 32;
    for (int j = 0; j < half; j += LANES) {
      LongVector x = LongVector.fromArray(LONGS, a, j);
      LongVector y = LongVector.fromArray(LONGS, a, j + half);
      LongVector u = x.add(y);
      LongVector v = x.sub(y).add(twoQ);
      LongVector uLo = u.and(LOW);
      LongVector uHi = u.lanewise(VectorOperators.LSHR, 32);
      LongVector vLo = v.and(LOW);
      LongVector vHi = v.lanewise(VectorOperators.LSHR, 32);
      LongVector c0 = uLo.mul(ws0Lo).lanewise(VectorOperators.LSHR, 32).add(uHi.mul(ws0Lo));
      LongVector c1 = vLo.mul(ws1Lo).lanewise(VectorOperators.LSHR, 32).add(vHi.mul(ws1Lo));
      LongVector d0 = c0.and(LOW).add(uLo.mul(ws0Hi));
      LongVector d1 = c1.and(LOW).add(vLo.mul(ws1Hi));
      LongVector high0 =
          uHi.mul(ws0Hi)
              .add(c0.lanewise(VectorOperators.ASHR, 32))
              .add(d0.lanewise(VectorOperators.ASHR, 32));
      LongVector high1 =
          vHi.mul(ws1Hi)
              .add(c1.lanewise(VectorOperators.ASHR, 32))
              .add(d1.lanewise(VectorOperators.ASHR, 32));
      LongVector r0 = u.mul(w0).sub(high0.mul(q));
      LongVector r1 = v.mul(w1).sub(high1.mul(q));
      r0.sub(q, r0.compare(VectorOperators.GE, q)).intoArray(a, j);
      r1.sub(q, r1.compare(VectorOperators.GE, q)).intoArray(a, j + half);
    }
  }

  /**
   * {@link Ring#mulRow} (or {@link Ring#mulAddRow} when {@code accumulate}) on the first {@code n -
   * n % LANES} coefficients, and returns that count: {@code z (+)= x * y mod q} by {@link
   * Modulus#mul}'s Barrett reduction, the 128-bit products' high halves from 32-bit halves (all
   * factors are below 2^61).
   */
  static int mulRow(long[] x, long[] y, long[] z, Modulus m, boolean accumulate) {
    final long q = m.value();
    final int bits = m.bits();
    final long mu = m.barrettMu();
    final long muLo = mu & LOW;
    final long muHi = mu >>> 32;
    final int end = x.length - x.length % LANES;
    for (int k = 0; k < end; k += LANES) {
      LongVector a = LongVector.fromArray(LONGS, x, k);
      LongVector b = LongVector.fromArray(LONGS, y, k);
      LongVector aLo = a.and(LOW);
      LongVector aHi = a.lanewise(VectorOperators.LSHR, 32);
      LongVector bLo = b.and(LOW);
      LongVector bHi = b.lanewise(VectorOperators.LSHR, 32);
      LongVector c = aLo.mul(bLo).lanewise(VectorOperators.LSHR, 32).add(aHi.mul(bLo));
      LongVector d = c.and(LOW).add(aLo.mul(bHi));
      LongVector hi =
          aHi.mul(bHi)
              .add(c.lanewise(VectorOperators.LSHR, 32))
              .add(d.lanewise(VectorOperators.LSHR, 32));
      LongVector lo = a.mul(b);
      // x1 = (a * b) >> (bits - 1), then qhat = (x1 * mu) >> (bits + 1)
      LongVector x1 =
          hi.lanewise(VectorOperators.LSHL, 65 - bits)
              .or(lo.lanewise(VectorOperators.LSHR, bits - 1));
      LongVector xLo = x1.and(LOW);
      LongVector xHi = x1.lanewise(VectorOperators.LSHR, 32);
      LongVector e = xLo.mul(muLo).lanewise(VectorOperators.LSHR, 32).add(xHi.mul(muLo));
      LongVector f = e.and(LOW).add(xLo.mul(muHi));
      LongVector phi =
          xHi.mul(muHi)
              .add(e.lanewise(VectorOperators.LSHR, 32))
              .add(f.lanewise(VectorOperators.LSHR, 32));
      LongVector qhat =
          phi.lanewise(VectorOperators.LSHL, 63 - bits)
              .or(x1.mul(mu).lanewise(VectorOperators.LSHR, bits + 1));
      LongVector r = lo.sub(qhat.mul(q)).sub(q);
      r = r.add(q, r.compare(VectorOperators.LT, 0)).sub(q);
      r = r.add(q, r.compare(VectorOperators.LT, 0));
      if (accumulate) {
        r = LongVector.fromArray(LONGS, z, k).add(r).sub(q);
        r = r.add(q, r.compare(VectorOperators.LT, 0));
      }
      r.intoArray(z, k);
    }
    return end;
  }
}
