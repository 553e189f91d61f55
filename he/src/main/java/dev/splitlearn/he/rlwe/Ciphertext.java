package dev.splitlearn.he.rlwe;

import dev.splitlearn.he.ring.Poly;
import dev.splitlearn.he.ring.Prng;
import java.io.DataInput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An RLWE ciphertext {@code (c_0, ..., c_degree)} in NTT form over rows {@code 0..level},
 * decrypting to {@code sum_i c_i s^i}, with its CKKS scale. Degree is 1 after encryption and
 * relinearisation, 2 after a ciphertext-ciphertext product.
 *
 * <p>A fresh secret-key encryption is <em>seeded</em>: {@code c_1} is the expansion of a 32-byte
 * public seed and is serialized as the seed only. Any evaluator operation writing into a ciphertext
 * clears the seed. Do not modify the polynomials of a seeded ciphertext by hand.
 *
 * <p>Wire format (version 1): {@code version u8 | kind 'C' | parameters id i64 | degree u8 | level
 * u8 | flags u8 (bit 0: seeded) | scale f64 | c_0 rows | (seed 32 bytes | c_1..c_degree rows) |
 * CRC32C u32}, rows bit-packed to the bit length of their prime.
 *
 * <p>A mutable buffer (used as an output), not thread-safe.
 */
public final class Ciphertext implements WireObject {

  private static final int FLAG_SEEDED = 1;

  private final Parameters params;
  private Poly[] value;
  private int level;
  private double scale;
  private byte[] seed;

  /**
   * Allocates a zero ciphertext with scale {@code params.defaultScale()}.
   *
   * @param params the parameters
   * @param degree 1 or 2
   * @param level level in [0, L]
   * @throws IllegalArgumentException if degree or level is invalid
   */
  public Ciphertext(Parameters params, int degree, int level) {
    this.params = params;
    checkLevel(params, level, "Ciphertext");
    checkDegree(degree, "Ciphertext");
    this.value = new Poly[degree + 1];
    for (int i = 0; i <= degree; i++) {
      value[i] = params.ring().newPoly(level);
    }
    this.level = level;
    this.scale = params.defaultScale();
  }

  static void checkLevel(Parameters params, int level, String op) {
    if (level < 0 || level > params.maxLevel()) {
      throw new IllegalArgumentException(
          "cannot " + op + ": level " + level + " is outside [0, " + params.maxLevel() + "]");
    }
  }

  static void checkDegree(int degree, String op) {
    if (degree < 1 || degree > 2) {
      throw new IllegalArgumentException("cannot " + op + ": degree " + degree + " is not 1 or 2");
    }
  }

  static void checkScale(double scale, String op) {
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException(
          "cannot " + op + ": scale " + scale + " is not positive and finite");
    }
  }

  /**
   * @return the parameters
   */
  public Parameters params() {
    return params;
  }

  /**
   * @return the degree (number of polynomials minus one)
   */
  public int degree() {
    return value.length - 1;
  }

  /**
   * @return the level (rows 0..level are in use)
   */
  public int level() {
    return level;
  }

  /**
   * @return the CKKS scale
   */
  public double scale() {
    return scale;
  }

  /**
   * @param scale new scale, positive and finite
   */
  public void setScale(double scale) {
    checkScale(scale, "Ciphertext.setScale");
    this.scale = scale;
  }

  /**
   * @param i index in [0, degree]
   * @return polynomial {@code c_i} (NTT form, shared, rows 0..level in use)
   */
  public Poly value(int i) {
    return value[i];
  }

  /**
   * @return whether {@code c_1} is the expansion of a seed (fresh secret-key encryption)
   */
  public boolean isSeeded() {
    return seed != null;
  }

  /**
   * @return a copy of the seed of {@code c_1}, or null if not seeded
   */
  public byte[] seed() {
    return seed == null ? null : seed.clone();
  }

  void setSeed(byte[] seed) {
    this.seed = seed.clone();
  }

  /**
   * Prepares this ciphertext as an output: sets degree and level, growing buffers as needed
   * (content is then unspecified), and clears the seed.
   *
   * @param degree 1 or 2
   * @param level level in [0, L]
   */
  public void resize(int degree, int level) {
    checkLevel(params, level, "Ciphertext.resize");
    checkDegree(degree, "Ciphertext.resize");
    if (value.length != degree + 1) {
      Poly[] v = new Poly[degree + 1];
      for (int i = 0; i <= degree; i++) {
        v[i] = i < value.length ? value[i] : params.ring().newPoly(Math.max(level, this.level));
      }
      value = v;
    }
    for (int i = 0; i <= degree; i++) {
      if (value[i].rows() < level + 1) {
        Poly p = params.ring().newPoly(level);
        p.copyFrom(value[i], Math.min(this.level, value[i].rows() - 1));
        value[i] = p;
      }
    }
    this.level = level;
    this.seed = null;
  }

  /**
   * @return a deep copy (keeps the seed)
   */
  public Ciphertext copy() {
    Ciphertext c = new Ciphertext(params, degree(), level);
    for (int i = 0; i <= degree(); i++) {
      c.value[i].copyFrom(value[i], level);
    }
    c.scale = scale;
    c.seed = seed == null ? null : seed.clone();
    return c;
  }

  // ---------------------------------------------------------------- wire format

  /**
   * @return the serialized size in bytes
   */
  public int binarySize() {
    int rowsBytes = Wire.rowsBytes(params.ring(), Wire.range(0, level));
    int body = seed != null ? rowsBytes + Prng.SEED_BYTES : rowsBytes * (degree() + 1);
    return Wire.HEADER_BYTES + 8 + 3 + 8 + body + Wire.CRC_BYTES;
  }

  /**
   * @return the serialized form
   */
  public byte[] toBytes() {
    Wire.Writer w = new Wire.Writer(binarySize(), Wire.KIND_CIPHERTEXT);
    w.i64(params.id()).u8(degree()).u8(level).u8(seed != null ? FLAG_SEEDED : 0).f64(scale);
    int[] rows = Wire.range(0, level);
    w.rows(params.ring(), value[0], rows);
    if (seed != null) {
      w.bytes(seed);
    } else {
      for (int i = 1; i <= degree(); i++) {
        w.rows(params.ring(), value[i], rows);
      }
    }
    return w.finish();
  }

  /**
   * Reads and validates a ciphertext.
   *
   * @param params the parameters it must have been made with
   * @param in source
   * @return the ciphertext
   * @throws java.io.EOFException if the input is truncated (the message names the field)
   * @throws WireFormatException if the version or kind is wrong, the parameters id differs, the
   *     degree, level, flags or scale is invalid, a coefficient is not below its modulus, the seed
   *     is missing (all zero) or the checksum does not match
   * @throws IOException if reading fails
   */
  public static Ciphertext readFrom(Parameters params, DataInput in) throws IOException {
    return read(params, new Wire.Reader(in, "Ciphertext"));
  }

  /**
   * @param params the parameters
   * @param buf source, advanced past the ciphertext
   * @return the ciphertext
   * @throws IOException as {@link #readFrom(Parameters, DataInput)}
   */
  public static Ciphertext readFrom(Parameters params, ByteBuffer buf) throws IOException {
    return read(params, new Wire.Reader(buf, "Ciphertext"));
  }

  /**
   * Reads a ciphertext that must span exactly the given bytes.
   *
   * @param params the parameters
   * @param bytes the serialized ciphertext
   * @return the ciphertext
   * @throws IOException as {@link #readFrom(Parameters, DataInput)}, or if bytes are left over
   */
  public static Ciphertext fromBytes(Parameters params, byte[] bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    Ciphertext ct = readFrom(params, buf);
    if (buf.hasRemaining()) {
      throw new WireFormatException(
          "cannot read Ciphertext: " + buf.remaining() + " trailing bytes");
    }
    return ct;
  }

  private static Ciphertext read(Parameters params, Wire.Reader r) throws IOException {
    r.header(Wire.KIND_CIPHERTEXT);
    long id = r.i64("parameters id");
    if (id != params.id()) {
      throw r.error(
          String.format("parameters id %016x does not match the expected %016x", id, params.id()));
    }
    int degree = r.u8("degree");
    if (degree < 1 || degree > 2) {
      throw r.error("degree " + degree + " is not 1 or 2");
    }
    int level = r.u8("level");
    if (level > params.maxLevel()) {
      throw r.error("level " + level + " exceeds the maximum level " + params.maxLevel());
    }
    int flags = r.u8("flags");
    if ((flags & ~FLAG_SEEDED) != 0) {
      throw r.error("unknown flags 0x" + Integer.toHexString(flags));
    }
    boolean seeded = (flags & FLAG_SEEDED) != 0;
    if (seeded && degree != 1) {
      throw r.error("a seeded ciphertext must have degree 1, got " + degree);
    }
    double scale = r.f64("scale");
    if (!(scale >= 1) || Double.isInfinite(scale)) {
      throw r.error("scale " + scale + " is not finite and at least 1");
    }
    Ciphertext ct = new Ciphertext(params, degree, level);
    ct.scale = scale;
    int[] rows = Wire.range(0, level);
    r.rows(params.ring(), ct.value[0], rows, "c0");
    if (seeded) {
      byte[] seed = r.bytes(Prng.SEED_BYTES, "seed");
      boolean zero = true;
      for (byte b : seed) {
        zero &= b == 0;
      }
      if (zero) {
        throw r.error("seed is missing (all zero)");
      }
      r.checksum();
      Uniform.expand(params.ring(), seed, 0, rows, ct.value[1]);
      ct.seed = seed;
    } else {
      for (int i = 1; i <= degree; i++) {
        r.rows(params.ring(), ct.value[i], rows, "c" + i);
      }
      r.checksum();
    }
    return ct;
  }
}
