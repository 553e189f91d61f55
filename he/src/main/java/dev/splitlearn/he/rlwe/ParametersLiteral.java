package dev.splitlearn.he.rlwe;

import java.io.DataInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The plain, serialisable description of a parameter set, turned into validated {@link Parameters}
 * by {@link Parameters#fromLiteral}. Immutable.
 *
 * <ul>
 *   <li>{@code logN}: log2 of the ring degree N; CKKS has N/2 slots.
 *   <li>{@code logQ}: bit sizes of the ciphertext primes q_0..q_L. q_0 holds the final result, each
 *       further prime is one level (one rescale), so it should be close to the scale.
 *   <li>{@code logP}: bit sizes of the special primes used by key switching (relinearisation,
 *       rotations); their product P should be at least as large as the largest q_i. May be empty
 *       (no key switching).
 *   <li>{@code logDefaultScale}: the default CKKS scale is {@code 2^logDefaultScale}.
 *   <li>{@code secret}: secret distribution; {@code sigma}: standard deviation of the error
 *       (bounded at {@code floor(6 sigma)}).
 * </ul>
 *
 * <p>Primes are generated deterministically from the sizes (largest unused NTT-friendly prime below
 * 2^bits, Q first, then P), so the literal determines the parameters.
 */
public final class ParametersLiteral implements WireObject {

  /** Default error standard deviation. */
  public static final double DEFAULT_SIGMA = 3.2;

  private final int logN;
  private final int[] logQ;
  private final int[] logP;
  private final int logDefaultScale;
  private final SecretDistribution secret;
  private final double sigma;

  /**
   * @param logN log2 of the ring degree
   * @param logQ bit sizes of the ciphertext primes (copied)
   * @param logP bit sizes of the special primes (copied), may be empty
   * @param logDefaultScale log2 of the default scale
   * @param secret secret distribution
   * @param sigma error standard deviation
   */
  public ParametersLiteral(
      int logN,
      int[] logQ,
      int[] logP,
      int logDefaultScale,
      SecretDistribution secret,
      double sigma) {
    this.logN = logN;
    this.logQ = logQ.clone();
    this.logP = logP.clone();
    this.logDefaultScale = logDefaultScale;
    this.secret = secret;
    this.sigma = sigma;
  }

  /**
   * A literal with a uniform ternary secret and sigma = 3.2.
   *
   * @param logN log2 of the ring degree
   * @param logQ bit sizes of the ciphertext primes
   * @param logP bit sizes of the special primes
   * @param logDefaultScale log2 of the default scale
   * @return the literal (not yet validated)
   */
  public static ParametersLiteral of(int logN, int[] logQ, int[] logP, int logDefaultScale) {
    return new ParametersLiteral(
        logN, logQ, logP, logDefaultScale, SecretDistribution.UNIFORM_TERNARY, DEFAULT_SIGMA);
  }

  /**
   * @return log2 of N
   */
  public int logN() {
    return logN;
  }

  /**
   * @return a copy of the Q prime sizes
   */
  public int[] logQ() {
    return logQ.clone();
  }

  /**
   * @return a copy of the P prime sizes
   */
  public int[] logP() {
    return logP.clone();
  }

  /**
   * @return log2 of the default scale
   */
  public int logDefaultScale() {
    return logDefaultScale;
  }

  /**
   * @return the secret distribution
   */
  public SecretDistribution secret() {
    return secret;
  }

  /**
   * @return the error standard deviation
   */
  public double sigma() {
    return sigma;
  }

  /**
   * @return the serialized size in bytes
   */
  public int binarySize() {
    return Wire.HEADER_BYTES + 1 + 1 + logQ.length + 1 + logP.length + 1 + 1 + 8 + Wire.CRC_BYTES;
  }

  /**
   * @return the serialized form: version, kind, logN, |Q|, logQ, |P|, logP, logScale, secret,
   *     sigma, CRC32C
   */
  public byte[] toBytes() {
    if (logQ.length > 255 || logP.length > 255) {
      throw new IllegalStateException("cannot serialize ParametersLiteral: too many primes");
    }
    Wire.Writer w = new Wire.Writer(binarySize(), Wire.KIND_LITERAL);
    w.u8(logN).u8(logQ.length);
    for (int b : logQ) {
      w.u8(b);
    }
    w.u8(logP.length);
    for (int b : logP) {
      w.u8(b);
    }
    return w.u8(logDefaultScale).u8(secret.ordinal()).f64(sigma).finish();
  }

  /**
   * Reads a literal (not validated as a parameter set: pass it to {@link Parameters#fromLiteral}).
   *
   * @param in source
   * @return the literal
   * @throws IOException on truncated input, unknown version or kind, unknown secret distribution,
   *     bad sigma or checksum mismatch
   */
  public static ParametersLiteral readFrom(DataInput in) throws IOException {
    return read(new Wire.Reader(in, "ParametersLiteral"));
  }

  /**
   * @param buf source
   * @return the literal
   * @throws IOException as {@link #readFrom(DataInput)}
   */
  public static ParametersLiteral readFrom(ByteBuffer buf) throws IOException {
    return read(new Wire.Reader(buf, "ParametersLiteral"));
  }

  private static ParametersLiteral read(Wire.Reader r) throws IOException {
    r.header(Wire.KIND_LITERAL);
    int logN = r.u8("logN");
    int[] logQ = new int[r.u8("|Q|")];
    for (int i = 0; i < logQ.length; i++) {
      logQ[i] = r.u8("logQ[" + i + "]");
    }
    int[] logP = new int[r.u8("|P|")];
    for (int i = 0; i < logP.length; i++) {
      logP[i] = r.u8("logP[" + i + "]");
    }
    int logScale = r.u8("logDefaultScale");
    int secret = r.u8("secret");
    if (secret >= SecretDistribution.values().length) {
      throw r.error("unknown secret distribution " + secret);
    }
    double sigma = r.f64("sigma");
    r.checksum();
    return new ParametersLiteral(
        logN, logQ, logP, logScale, SecretDistribution.values()[secret], sigma);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ParametersLiteral)) {
      return false;
    }
    ParametersLiteral l = (ParametersLiteral) o;
    return logN == l.logN
        && Arrays.equals(logQ, l.logQ)
        && Arrays.equals(logP, l.logP)
        && logDefaultScale == l.logDefaultScale
        && secret == l.secret
        && Double.compare(sigma, l.sigma) == 0;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toBytes());
  }

  @Override
  public String toString() {
    return "ParametersLiteral{logN="
        + logN
        + ", logQ="
        + Arrays.toString(logQ)
        + ", logP="
        + Arrays.toString(logP)
        + ", logDefaultScale="
        + logDefaultScale
        + ", secret="
        + secret
        + ", sigma="
        + sigma
        + "}";
  }
}
