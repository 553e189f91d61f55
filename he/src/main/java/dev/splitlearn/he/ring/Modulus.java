package dev.splitlearn.he.ring;

import java.math.BigInteger;

/**
 * Arithmetic modulo one odd modulus {@code q < 2^60}: Barrett reduction of 64- and 128-bit values
 * and Shoup multiplication by precomputed constants.
 *
 * <p>All values are held in signed {@code long}s. Because {@code q < 2^60}, lazily reduced values
 * in {@code [0, 4q)} stay below {@code 2^62} and therefore non-negative, so {@link
 * Math#multiplyHigh} (a signed 64x64 to 128-bit high product) gives the unsigned result for them.
 *
 * <p>Immutable and thread-safe. Not constant-time.
 */
public final class Modulus {

  /** Largest supported modulus bit length (q &lt; 2^60). */
  public static final int MAX_BITS = 60;

  private final long q;
  private final long twoQ;
  private final int bits;

  /** floor(2^(2k) / q) with k = bits (fits in k+1 &lt;= 61 bits). */
  private final long barrettMu;

  private final int shiftIn;
  private final int shiftInHi;
  private final int shiftOut;
  private final int shiftOutHi;

  /** floor(2^64 / q), for reducing a single non-negative long. */
  private final long ratio64;

  /** q^-1 mod 2^64. */
  private final long qInv64;

  /** 2^63 mod q, for computing Shoup constants. */
  private final long pow63;

  /**
   * Creates the arithmetic context for {@code q}.
   *
   * @param q an odd modulus with {@code 3 <= q < 2^60}; primality is not checked here
   * @throws IllegalArgumentException if {@code q} is even or out of range
   */
  public Modulus(long q) {
    if (q < 3 || (q & 1) == 0 || 64 - Long.numberOfLeadingZeros(q) > MAX_BITS) {
      throw new IllegalArgumentException(
          "cannot create Modulus: q=" + q + " must be odd and in [3, 2^60)");
    }
    this.q = q;
    this.twoQ = 2 * q;
    this.bits = 64 - Long.numberOfLeadingZeros(q);
    this.barrettMu =
        BigInteger.ONE.shiftLeft(2 * bits).divide(BigInteger.valueOf(q)).longValueExact();
    this.shiftIn = bits - 1;
    this.shiftInHi = 65 - bits;
    this.shiftOut = bits + 1;
    this.shiftOutHi = 63 - bits;
    this.ratio64 = Long.divideUnsigned(-1L, q);
    long inv = q;
    for (int i = 0; i < 6; i++) {
      inv *= 2 - q * inv;
    }
    this.qInv64 = inv;
    this.pow63 = BigInteger.ONE.shiftLeft(63).mod(BigInteger.valueOf(q)).longValue();
  }

  /**
   * @return the modulus q
   */
  public long value() {
    return q;
  }

  /** floor(2^(2 bits) / q), the Barrett constant of {@link #mul} (for the vector kernels). */
  long barrettMu() {
    return barrettMu;
  }

  /**
   * @return the bit length of q
   */
  public int bits() {
    return bits;
  }

  /**
   * Reduces a non-negative long.
   *
   * @param x a value in {@code [0, 2^63)}
   * @return {@code x mod q}
   */
  public long reduce(long x) {
    long r = x - Math.multiplyHigh(x, ratio64) * q;
    r -= q;
    return r + ((r >> 63) & q);
  }

  /**
   * Reduces a signed long to {@code [0, q)}.
   *
   * @param x any long value other than {@code Long.MIN_VALUE}
   * @return {@code x mod q} in {@code [0, q)}
   */
  public long reduceSigned(long x) {
    if (x >= 0) {
      return reduce(x);
    }
    long r = reduce(-x);
    return r == 0 ? 0 : q - r;
  }

  /**
   * Rounds a double to the nearest integer and reduces it modulo q, exactly, for any finite
   * magnitude.
   *
   * @param x a finite value
   * @return {@code round(x) mod q} in {@code [0, q)}
   * @throws IllegalArgumentException if {@code x} is NaN or infinite
   */
  public long reduceDouble(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      throw new IllegalArgumentException("cannot reduce " + x + " modulo " + q);
    }
    double r = Math.rint(x);
    if (Math.abs(r) < 0x1p62) {
      return reduceSigned((long) r);
    }
    // r = mantissa * 2^e exactly, with |mantissa| < 2^53 and e > 0
    int e = Math.getExponent(r) - 52;
    long mant = (long) Math.scalb(r, -e);
    long pow = pow(reduce(2), e);
    return mul(reduceSigned(mant), pow);
  }

  /**
   * Barrett multiplication.
   *
   * @param a a value in {@code [0, q)}
   * @param b a value in {@code [0, q)}
   * @return {@code a * b mod q} in {@code [0, q)}
   */
  public long mul(long a, long b) {
    long lo = a * b;
    long hi = Math.multiplyHigh(a, b);
    long x1 = (hi << shiftInHi) | (lo >>> shiftIn);
    long plo = x1 * barrettMu;
    long phi = Math.multiplyHigh(x1, barrettMu);
    long qhat = (phi << shiftOutHi) | (plo >>> shiftOut);
    long r = lo - qhat * q;
    r -= q;
    r += (r >> 63) & q;
    r -= q;
    return r + ((r >> 63) & q);
  }

  /**
   * Computes the Shoup constant of {@code w}: {@code floor(w * 2^63 / q)}.
   *
   * @param w a value in {@code [0, q)}
   * @return the precomputed companion used by {@link #mulShoup} and {@link #mulShoupLazy}
   */
  public long shoup(long w) {
    long rem = mul(w, pow63);
    return (((w & 1L) << 63) - rem) * qInv64;
  }

  /**
   * The representative of {@code w} in {@code (-q/2, q/2)}: with it, {@link #shoupSigned} fits a
   * signed long at full 2^64 precision, so a Shoup product needs no shift of its operand.
   *
   * @param w a value in {@code [0, q)}
   * @return {@code w} or {@code w - q}
   */
  public long signed(long w) {
    return 2 * w < q ? w : w - q;
  }

  /**
   * The Shoup constant of the centred {@code w}: {@code floor(signed(w) * 2^64 / q)}, which lies in
   * {@code (-2^63, 2^63)}. For {@code y} in {@code [0, 2^63)}, {@code y * signed(w) -
   * Math.multiplyHigh(y, shoupSigned(w)) * q} is congruent to {@code y * w} and lies in {@code [0,
   * 2q)}: the quotient estimate is at most 2 below the true quotient (one from each floor).
   *
   * @param w a value in {@code [0, q)}
   * @return the constant, as a two's-complement long
   */
  public long shoupSigned(long w) {
    // floor(w 2^64 / q) = 2 floor(w 2^63 / q) + [2 (w 2^63 mod q) >= q]; for w > q/2 the sum wraps
    // to exactly floor((w - q) 2^64 / q)
    return 2 * shoup(w) + (2 * mul(w, pow63) >= q ? 1 : 0);
  }

  /**
   * Lazy Shoup multiplication by a constant.
   *
   * @param y a value in {@code [0, 2^62)}
   * @param w a constant in {@code [0, q)}
   * @param wp {@code shoup(w)}
   * @return a value congruent to {@code y * w mod q}, in {@code [0, 2q)}
   */
  public long mulShoupLazy(long y, long w, long wp) {
    return y * w - Math.multiplyHigh(y << 1, wp) * q;
  }

  /**
   * Shoup multiplication by a constant.
   *
   * @param y a value in {@code [0, 2^62)}
   * @param w a constant in {@code [0, q)}
   * @param wp {@code shoup(w)}
   * @return {@code y * w mod q} in {@code [0, q)}
   */
  public long mulShoup(long y, long w, long wp) {
    long r = y * w - Math.multiplyHigh(y << 1, wp) * q - q;
    return r + ((r >> 63) & q);
  }

  /**
   * @param a first operand
   * @param b second operand
   * @return {@code (a + b) mod q} for {@code a, b} in {@code [0, q)}
   */
  public long add(long a, long b) {
    long r = a + b - q;
    return r + ((r >> 63) & q);
  }

  /**
   * @param a first operand
   * @param b second operand
   * @return {@code (a - b) mod q} for {@code a, b} in {@code [0, q)}
   */
  public long sub(long a, long b) {
    long r = a - b;
    return r + ((r >> 63) & q);
  }

  /**
   * @param a first operand
   * @return {@code -a mod q} for {@code a} in {@code [0, q)}
   */
  public long neg(long a) {
    return a == 0 ? 0 : q - a;
  }

  /**
   * Modular exponentiation.
   *
   * @param base a value in {@code [0, q)}
   * @param exp a non-negative exponent
   * @return {@code base^exp mod q}
   */
  public long pow(long base, long exp) {
    long result = 1 % q;
    long b = base;
    long e = exp;
    while (e > 0) {
      if ((e & 1) == 1) {
        result = mul(result, b);
      }
      b = mul(b, b);
      e >>>= 1;
    }
    return result;
  }

  /**
   * Modular inverse for a prime modulus (Fermat).
   *
   * @param a a value in {@code [1, q)}
   * @return {@code a^-1 mod q}
   * @throws ArithmeticException if {@code a == 0 mod q}
   */
  public long inv(long a) {
    if (reduce(a) == 0) {
      throw new ArithmeticException("cannot invert 0 modulo " + q);
    }
    return pow(reduce(a), q - 2);
  }

  /**
   * @return {@code 2q}
   */
  long twoQ() {
    return twoQ;
  }

  @Override
  public String toString() {
    return "Modulus(" + q + ", " + bits + " bits)";
  }
}
