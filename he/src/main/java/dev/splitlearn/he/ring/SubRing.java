package dev.splitlearn.he.ring;

/**
 * The ring {@code Z_q[X]/(X^N + 1)} for one NTT-friendly prime q: the modulus arithmetic plus the
 * precomputed tables of the negacyclic number-theoretic transform.
 *
 * <p>The forward transform takes a coefficient vector in natural order and returns its evaluations
 * in bit-reversed order: output {@code i} is {@code a(psi^(2 * bitrev(i) + 1))}. It uses Harvey's
 * lazy butterflies with Shoup constants (intermediate values in {@code [0, 4q)}); the twiddles are
 * kept centred in {@code (-q/2, q/2)} with their constants at 2^64 precision ({@link
 * Modulus#shoupSigned}), so a product is three multiplications and no shift. Inputs may be in
 * {@code [0, 4q)} for the forward and {@code [0, 2q)} for the inverse transform; outputs are in
 * {@code [0, q)}.
 *
 * <p>On a JVM started with {@code --add-modules jdk.incubator.vector} whose 512-bit vectors are
 * machine vectors (AVX-512), the stages of gap 8 and more run eight butterflies at a time ({@link
 * VectorRows}), with the same results bit for bit; the property {@code
 * -Dsplitlearn.he.vectors=false} turns that off.
 *
 * <p>Immutable and thread-safe (the transforms work in place on caller-owned arrays).
 */
public final class SubRing {
  /** Whether the wide stages run on vectors in this JVM (see the class comment). */
  public static final boolean VECTORS = vectorsAvailable();

  private final Modulus modulus;
  private final int n;
  private final int logN;
  private final long psi;
  private final long[] psiRev;
  private final long[] psiRevShoup;
  private final long[] psiInvRev;
  private final long[] psiInvRevShoup;
  // the inverse transform's last stage multiplies by N^-1 and by N^-1 times its twiddle (centred)
  private final long nInv;
  private final long nInvShoup;
  private final long lastTwiddle;
  private final long lastTwiddleShoup;

  /**
   * Builds the tables for {@code Z_q[X]/(X^N+1)}.
   *
   * @param q a prime with {@code q = 1 mod 2N} and {@code q < 2^60}
   * @param logN log2 of N, in {@code [1, 17]}
   * @throws IllegalArgumentException if q is not 1 mod 2N or logN is out of range
   */
  public SubRing(long q, int logN) {
    if (logN < 1 || logN > 17) {
      throw new IllegalArgumentException(
          "cannot create SubRing: logN=" + logN + " outside [1, 17]");
    }
    this.modulus = new Modulus(q);
    this.logN = logN;
    this.n = 1 << logN;
    this.psi = Primes.primitiveRoot2N(modulus, logN);
    long psiInv = modulus.inv(psi);
    psiRev = new long[n];
    psiRevShoup = new long[n];
    psiInvRev = new long[n];
    psiInvRevShoup = new long[n];
    long pw = 1;
    long pwInv = 1;
    for (int i = 0; i < n; i++) {
      int r = bitReverse(i, logN);
      psiRev[r] = modulus.signed(pw);
      psiRevShoup[r] = modulus.shoupSigned(pw);
      psiInvRev[r] = modulus.signed(pwInv);
      psiInvRevShoup[r] = modulus.shoupSigned(pwInv);
      pw = modulus.mul(pw, psi);
      pwInv = modulus.mul(pwInv, psiInv);
    }
    long nInverse = modulus.inv(n);
    nInv = modulus.signed(nInverse);
    nInvShoup = modulus.shoupSigned(nInverse);
    long last = modulus.mul(modulus.reduceSigned(psiInvRev[1]), nInverse);
    lastTwiddle = modulus.signed(last);
    lastTwiddleShoup = modulus.shoupSigned(last);
  }

  /**
   * @return the modulus of this sub-ring
   */
  public Modulus modulus() {
    return modulus;
  }

  /**
   * @return the ring degree N
   */
  public int n() {
    return n;
  }

  /**
   * @return the primitive 2N-th root of unity psi used by the transforms
   */
  public long psi() {
    return psi;
  }

  /**
   * Reverses the lowest {@code bits} bits of {@code i}.
   *
   * @param i the index
   * @param bits number of bits
   * @return the bit-reversed index
   */
  public static int bitReverse(int i, int bits) {
    return Integer.reverse(i) >>> (32 - bits);
  }

  /**
   * In-place forward negacyclic NTT.
   *
   * @param a N values in {@code [0, 4q)}; replaced by the evaluations (bit-reversed order) in
   *     {@code [0, q)}
   */
  public void forward(long[] a) {
    forward(a, true);
  }

  /**
   * In-place forward negacyclic NTT without the final reduction: for callers that feed the
   * evaluations to a lazy product or a Shoup multiplication (key switching, rescaling), which
   * accept values below {@code 2^62}.
   *
   * @param a N values in {@code [0, 4q)}; replaced by the evaluations (bit-reversed order) in
   *     {@code [0, 4q)}
   */
  public void forwardLazy(long[] a) {
    forward(a, false);
  }

  private void forward(long[] a, boolean reduce) {
    forward(a, reduce, VECTORS);
  }

  /** The forward transform, with the wide stages on vectors or not (tests compare the two). */
  void forward(long[] a, boolean reduce, boolean vectors) {
    final long q = modulus.value();
    final long twoQ = 2 * q;
    final long[] w = psiRev;
    final long[] ws = psiRevShoup;
    int t = n;
    for (int m = 1; m < n; m <<= 1) {
      t >>>= 1;
      if (vectors && t >= VectorRows.LANES) {
        VectorRows.forwardStage(a, m, t, q, w, ws);
      } else if (t >= 4) {
        for (int i = 0; i < m; i++) {
          final long wi = w[m + i];
          final long wsi = ws[m + i];
          final int j1 = 2 * i * t;
          final int j2 = j1 + t;
          for (int j = j1; j < j2; j++) {
            long x = guard(a[j], twoQ);
            long y = a[j + t];
            long v = y * wi - Math.multiplyHigh(y, wsi) * q;
            a[j] = x + v;
            a[j + t] = x - v + twoQ;
          }
        }
      } else if (t == 2) {
        for (int i = 0, j = 0; i < m; i++, j += 4) {
          final long wi = w[m + i];
          final long wsi = ws[m + i];
          long x0 = guard(a[j], twoQ);
          long x1 = guard(a[j + 1], twoQ);
          long y0 = a[j + 2];
          long y1 = a[j + 3];
          long v0 = y0 * wi - Math.multiplyHigh(y0, wsi) * q;
          long v1 = y1 * wi - Math.multiplyHigh(y1, wsi) * q;
          a[j] = x0 + v0;
          a[j + 1] = x1 + v1;
          a[j + 2] = x0 - v0 + twoQ;
          a[j + 3] = x1 - v1 + twoQ;
        }
      } else if (!reduce) {
        // last stage (t == 1), outputs left in [0, 4q)
        for (int i = 0, j = 0; i < m; i++, j += 2) {
          final long wi = w[m + i];
          final long wsi = ws[m + i];
          long x = guard(a[j], twoQ);
          long y = a[j + 1];
          long v = y * wi - Math.multiplyHigh(y, wsi) * q;
          a[j] = x + v;
          a[j + 1] = x - v + twoQ;
        }
      } else {
        // last stage (t == 1): fuse the final reduction to [0, q)
        for (int i = 0, j = 0; i < m; i++, j += 2) {
          final long wi = w[m + i];
          final long wsi = ws[m + i];
          long x = guard(a[j], twoQ);
          long y = a[j + 1];
          long v = y * wi - Math.multiplyHigh(y, wsi) * q;
          long u1 = x - v;
          u1 += (u1 >> 63) & twoQ;
          a[j] = guard(guard(x + v, twoQ), q);
          a[j + 1] = guard(u1, q);
        }
      }
    }
    if (n == 1 && reduce) {
      a[0] = modulus.reduce(a[0]);
    }
  }

  private static boolean vectorsAvailable() {
    if (!Boolean.parseBoolean(System.getProperty("splitlearn.he.vectors", "true"))
        || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      return VectorRows.supported();
    } catch (LinkageError e) { // the module is there but cannot be linked: stay scalar
      return false;
    }
  }

  /**
   * {@code u} reduced from {@code [0, 2 bound)} to {@code [0, bound)}: a conditional move, as the
   * comparison goes either way at random.
   */
  private static long guard(long u, long bound) {
    return u >= bound ? u - bound : u;
  }

  /**
   * In-place inverse negacyclic NTT: Gentleman-Sande butterflies with Shoup constants, values kept
   * lazily in {@code [0, 2q)} between stages. In scalar code two stages are fused per pass over the
   * array (radix 4: each element is loaded and stored once per two stages); on vectors the stages
   * of gap 8 and more go one at a time (fused, the vector code grows past what the JIT compiles
   * well). The last stage is fused with the multiplication by {@code N^-1} and the final reduction,
   * so there is no separate scaling pass.
   *
   * @param a N evaluations (bit-reversed order) in {@code [0, 2q)}; replaced by the coefficients in
   *     {@code [0, q)}
   */
  public void inverse(long[] a) {
    inverse(a, VECTORS);
  }

  /** The inverse transform, with the wide stages on vectors or not (tests compare the two). */
  void inverse(long[] a, boolean vectors) {
    if (n == 1) {
      a[0] = modulus.reduce(a[0]);
      return;
    }
    final long q = modulus.value();
    final long twoQ = 2 * q;
    final long[] w = psiInvRev;
    final long[] ws = psiInvRevShoup;
    int t = 1;
    int stages = logN - 1; // stages before the last one
    if (stages >= 2) {
      inverseFirstTwoStages(a, q, twoQ, w, ws);
      t = 4;
      stages -= 2;
    }
    if (vectors) { // radix 2: the vector code of two fused stages does not fit the JIT's limits
      for (; stages > 0; stages--, t <<= 1) {
        if (t >= VectorRows.LANES) {
          VectorRows.inverseStage(a, n, t, q, w, ws);
        } else {
          inverseStage(a, t, q, twoQ, w, ws);
        }
      }
    } else {
      for (; stages >= 2; stages -= 2, t <<= 2) {
        inverseTwoStages(a, t, q, twoQ, w, ws);
      }
      if (stages == 1) {
        inverseStage(a, t, q, twoQ, w, ws);
      }
    }
    // last stage (one block, gap N/2) fused with the multiplication by N^-1:
    // a[j] = (x + y) / N, a[j+t] = (x - y) * w / N
    final long wn = lastTwiddle;
    final long wns = lastTwiddleShoup;
    final long ni = nInv;
    final long nis = nInvShoup;
    final int half = n >>> 1;
    if (vectors && half >= VectorRows.LANES) {
      VectorRows.inverseLastStage(a, half, q, ni, nis, wn, wns);
      return;
    }
    for (int j = 0; j < half; j++) {
      long x = a[j];
      long y = a[j + half];
      long u = x + y;
      long v = x - y + twoQ;
      a[j] = guard(u * ni - Math.multiplyHigh(u, nis) * q, q);
      a[j + half] = guard(v * wn - Math.multiplyHigh(v, wns) * q, q);
    }
  }

  /** The inverse transform's stages of gap 1 and 2 in one pass over blocks of 4 values. */
  private void inverseFirstTwoStages(long[] a, long q, long twoQ, long[] w, long[] ws) {
    final int h = n >>> 1;
    final int h2 = h >>> 1;
    for (int i = 0, j = 0; i < h2; i++, j += 4) {
      final long w1 = w[h + 2 * i];
      final long w1s = ws[h + 2 * i];
      final long w2 = w[h + 2 * i + 1];
      final long w2s = ws[h + 2 * i + 1];
      final long w3 = w[h2 + i];
      final long w3s = ws[h2 + i];
      long x0 = a[j];
      long x1 = a[j + 1];
      long x2 = a[j + 2];
      long x3 = a[j + 3];
      long u0 = guard(x0 + x1, twoQ);
      long d1 = x0 - x1 + twoQ;
      long u1 = d1 * w1 - Math.multiplyHigh(d1, w1s) * q;
      long u2 = guard(x2 + x3, twoQ);
      long d3 = x2 - x3 + twoQ;
      long u3 = d3 * w2 - Math.multiplyHigh(d3, w2s) * q;
      long v0 = guard(u0 + u2, twoQ);
      long e2 = u0 - u2 + twoQ;
      long v1 = guard(u1 + u3, twoQ);
      long e3 = u1 - u3 + twoQ;
      a[j] = v0;
      a[j + 1] = v1;
      a[j + 2] = e2 * w3 - Math.multiplyHigh(e2, w3s) * q;
      a[j + 3] = e3 * w3 - Math.multiplyHigh(e3, w3s) * q;
    }
  }

  /**
   * The inverse transform's stages of gap t and 2t (t &gt;= 4) in one pass over blocks of 4t
   * values.
   */
  private void inverseTwoStages(long[] a, int t, long q, long twoQ, long[] w, long[] ws) {
    final int h = n / (2 * t);
    final int h2 = h >>> 1;
    for (int i = 0, base = 0; i < h2; i++, base += 4 * t) {
      final long w1 = w[h + 2 * i];
      final long w1s = ws[h + 2 * i];
      final long w2 = w[h + 2 * i + 1];
      final long w2s = ws[h + 2 * i + 1];
      final long w3 = w[h2 + i];
      final long w3s = ws[h2 + i];
      final int end = base + t;
      for (int j = base; j < end; j++) {
        long x0 = a[j];
        long x1 = a[j + t];
        long x2 = a[j + 2 * t];
        long x3 = a[j + 3 * t];
        long u0 = guard(x0 + x1, twoQ);
        long d1 = x0 - x1 + twoQ;
        long u1 = d1 * w1 - Math.multiplyHigh(d1, w1s) * q;
        long u2 = guard(x2 + x3, twoQ);
        long d3 = x2 - x3 + twoQ;
        long u3 = d3 * w2 - Math.multiplyHigh(d3, w2s) * q;
        long v0 = guard(u0 + u2, twoQ);
        long e2 = u0 - u2 + twoQ;
        long v1 = guard(u1 + u3, twoQ);
        long e3 = u1 - u3 + twoQ;
        a[j] = v0;
        a[j + t] = v1;
        a[j + 2 * t] = e2 * w3 - Math.multiplyHigh(e2, w3s) * q;
        a[j + 3 * t] = e3 * w3 - Math.multiplyHigh(e3, w3s) * q;
      }
    }
  }

  /**
   * One inverse stage of gap t (radix 2), used when the number of stages before the last is odd.
   */
  private void inverseStage(long[] a, int t, long q, long twoQ, long[] w, long[] ws) {
    final int h = n / (2 * t);
    for (int i = 0, j1 = 0; i < h; i++, j1 += 2 * t) {
      final long wi = w[h + i];
      final long wsi = ws[h + i];
      final int j2 = j1 + t;
      for (int j = j1; j < j2; j++) {
        long x = a[j];
        long y = a[j + t];
        long u = guard(x + y, twoQ);
        long v = x - y + twoQ;
        a[j] = u;
        a[j + t] = v * wi - Math.multiplyHigh(v, wsi) * q;
      }
    }
  }
}
