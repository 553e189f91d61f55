package dev.splitlearn.he.ring;

/**
 * The ring {@code Z_q[X]/(X^N + 1)} for one NTT-friendly prime q: the modulus arithmetic plus the
 * precomputed tables of the negacyclic number-theoretic transform.
 *
 * <p>The forward transform takes a coefficient vector in natural order and returns its evaluations in
 * bit-reversed order: output {@code i} is {@code a(psi^(2 * bitrev(i) + 1))}. It uses Harvey's lazy
 * butterflies with Shoup constants (intermediate values in {@code [0, 4q)}). Inputs may be in
 * {@code [0, 4q)} for the forward and {@code [0, 2q)} for the inverse transform; outputs are in
 * {@code [0, q)}.
 *
 * <p>Immutable and thread-safe (the transforms work in place on caller-owned arrays).
 */
public final class SubRing {

    private final Modulus modulus;
    private final int n;
    private final int logN;
    private final long psi;
    private final long[] psiRev;
    private final long[] psiRevShoup;
    private final long[] psiInvRev;
    private final long[] psiInvRevShoup;
    private final long nInv;
    private final long nInvShoup;

    /**
     * Builds the tables for {@code Z_q[X]/(X^N+1)}.
     *
     * @param q    a prime with {@code q = 1 mod 2N} and {@code q < 2^60}
     * @param logN log2 of N, in {@code [1, 17]}
     * @throws IllegalArgumentException if q is not 1 mod 2N or logN is out of range
     */
    public SubRing(long q, int logN) {
        if (logN < 1 || logN > 17) {
            throw new IllegalArgumentException("cannot create SubRing: logN=" + logN + " outside [1, 17]");
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
            psiRev[r] = pw;
            psiRevShoup[r] = modulus.shoup(pw);
            psiInvRev[r] = pwInv;
            psiInvRevShoup[r] = modulus.shoup(pwInv);
            pw = modulus.mul(pw, psi);
            pwInv = modulus.mul(pwInv, psiInv);
        }
        nInv = modulus.inv(n);
        nInvShoup = modulus.shoup(nInv);
    }

    /** @return the modulus of this sub-ring */
    public Modulus modulus() {
        return modulus;
    }

    /** @return the ring degree N */
    public int n() {
        return n;
    }

    /** @return the primitive 2N-th root of unity psi used by the transforms */
    public long psi() {
        return psi;
    }

    /**
     * Reverses the lowest {@code bits} bits of {@code i}.
     *
     * @param i    the index
     * @param bits number of bits
     * @return the bit-reversed index
     */
    public static int bitReverse(int i, int bits) {
        return Integer.reverse(i) >>> (32 - bits);
    }

    /**
     * In-place forward negacyclic NTT.
     *
     * @param a N values in {@code [0, 4q)}; replaced by the evaluations (bit-reversed order) in {@code [0, q)}
     */
    public void forward(long[] a) {
        final long q = modulus.value();
        final long twoQ = 2 * q;
        final long[] w = psiRev;
        final long[] ws = psiRevShoup;
        int t = n;
        for (int m = 1; m < n; m <<= 1) {
            t >>>= 1;
            if (t >= 4) {
                for (int i = 0; i < m; i++) {
                    final long wi = w[m + i];
                    final long wsi = ws[m + i];
                    final int j1 = 2 * i * t;
                    final int j2 = j1 + t;
                    for (int j = j1; j < j2; j++) {
                        long x = a[j] - twoQ;
                        x += (x >> 63) & twoQ;
                        long y = a[j + t];
                        long v = y * wi - Math.multiplyHigh(y << 1, wsi) * q;
                        a[j] = x + v;
                        a[j + t] = x - v + twoQ;
                    }
                }
            } else if (t == 2) {
                for (int i = 0, j = 0; i < m; i++, j += 4) {
                    final long wi = w[m + i];
                    final long wsi = ws[m + i];
                    long x0 = a[j] - twoQ;
                    x0 += (x0 >> 63) & twoQ;
                    long x1 = a[j + 1] - twoQ;
                    x1 += (x1 >> 63) & twoQ;
                    long y0 = a[j + 2];
                    long y1 = a[j + 3];
                    long v0 = y0 * wi - Math.multiplyHigh(y0 << 1, wsi) * q;
                    long v1 = y1 * wi - Math.multiplyHigh(y1 << 1, wsi) * q;
                    a[j] = x0 + v0;
                    a[j + 1] = x1 + v1;
                    a[j + 2] = x0 - v0 + twoQ;
                    a[j + 3] = x1 - v1 + twoQ;
                }
            } else {
                // last stage (t == 1): fuse the final reduction to [0, q)
                for (int i = 0, j = 0; i < m; i++, j += 2) {
                    final long wi = w[m + i];
                    final long wsi = ws[m + i];
                    long x = a[j] - twoQ;
                    x += (x >> 63) & twoQ;
                    long y = a[j + 1];
                    long v = y * wi - Math.multiplyHigh(y << 1, wsi) * q;
                    long u0 = x + v - twoQ;
                    u0 += (u0 >> 63) & twoQ;
                    u0 -= q;
                    u0 += (u0 >> 63) & q;
                    long u1 = x - v;
                    u1 += (u1 >> 63) & twoQ;
                    u1 -= q;
                    u1 += (u1 >> 63) & q;
                    a[j] = u0;
                    a[j + 1] = u1;
                }
            }
        }
        if (n == 1) {
            a[0] = modulus.reduce(a[0]);
        }
    }

    /**
     * In-place inverse negacyclic NTT.
     *
     * @param a N evaluations (bit-reversed order) in {@code [0, 2q)}; replaced by the coefficients in {@code [0, q)}
     */
    public void inverse(long[] a) {
        final long q = modulus.value();
        final long twoQ = 2 * q;
        final long[] w = psiInvRev;
        final long[] ws = psiInvRevShoup;
        int t = 1;
        for (int m = n; m > 2; m >>>= 1) {
            final int h = m >>> 1;
            if (t == 1) {
                for (int i = 0, j = 0; i < h; i++, j += 2) {
                    final long wi = w[h + i];
                    final long wsi = ws[h + i];
                    long x = a[j];
                    long y = a[j + 1];
                    long u = x + y - twoQ;
                    u += (u >> 63) & twoQ;
                    long v = x - y + twoQ;
                    a[j] = u;
                    a[j + 1] = v * wi - Math.multiplyHigh(v << 1, wsi) * q;
                }
            } else {
                for (int i = 0, j1 = 0; i < h; i++, j1 += 2 * t) {
                    final long wi = w[h + i];
                    final long wsi = ws[h + i];
                    final int j2 = j1 + t;
                    for (int j = j1; j < j2; j++) {
                        long x = a[j];
                        long y = a[j + t];
                        long u = x + y - twoQ;
                        u += (u >> 63) & twoQ;
                        long v = x - y + twoQ;
                        a[j] = u;
                        a[j + t] = v * wi - Math.multiplyHigh(v << 1, wsi) * q;
                    }
                }
            }
            t <<= 1;
        }
        // last stage (m == 2, h == 1) fused with the multiplication by N^-1:
        // a[j] = (x + y) / N, a[j+t] = (x - y) * w / N
        if (n >= 2) {
            final long wn = modulus.mul(w[1], nInv);
            final long wns = modulus.shoup(wn);
            final long ni = nInv;
            final long nis = nInvShoup;
            final int half = n >>> 1;
            for (int j = 0; j < half; j++) {
                long x = a[j];
                long y = a[j + half];
                long u = x + y;
                long v = x - y + twoQ;
                long r0 = u * ni - Math.multiplyHigh(u << 1, nis) * q - q;
                r0 += (r0 >> 63) & q;
                long r1 = v * wn - Math.multiplyHigh(v << 1, wns) * q - q;
                r1 += (r1 >> 63) & q;
                a[j] = r0;
                a[j + half] = r1;
            }
        } else {
            a[0] = modulus.reduce(a[0]);
        }
    }
}
