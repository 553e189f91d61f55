package dev.splitlearn.he.rlwe;

import dev.splitlearn.he.ring.Poly;
import dev.splitlearn.he.ring.Prng;
import java.io.DataInput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The public key {@code (b, a) = (-a s + e, a)} in NTT form over all rows (Q and P), with {@code a}
 * expanded from a 32-byte seed. Immutable.
 *
 * <p>Wire format (version 1): {@code version u8 | kind 'K' | parameters id i64 | seed 32 bytes | b
 * rows 0..L+k bit-packed | CRC32C u32}.
 */
public final class PublicKey implements WireObject {

  private final Parameters params;
  private final byte[] seed;
  private final Poly b;
  private final Poly a;
  private final long[][] bShoup;
  private final long[][] aShoup;

  PublicKey(Parameters params, byte[] seed, Poly b, Poly a) {
    this.params = params;
    this.seed = seed.clone();
    this.b = b;
    this.a = a;
    this.bShoup = SwitchingKey.shoupRows(params, b);
    this.aShoup = SwitchingKey.shoupRows(params, a);
  }

  /**
   * @return the parameters
   */
  public Parameters params() {
    return params;
  }

  Poly b() {
    return b;
  }

  Poly a() {
    return a;
  }

  long[][] bShoup() {
    return bShoup;
  }

  long[][] aShoup() {
    return aShoup;
  }

  private static int[] allRows(Parameters params) {
    return Wire.range(0, params.ring().moduliCount() - 1);
  }

  /**
   * @return the serialized size in bytes
   */
  public int binarySize() {
    return Wire.HEADER_BYTES
        + 8
        + Prng.SEED_BYTES
        + Wire.rowsBytes(params.ring(), allRows(params))
        + Wire.CRC_BYTES;
  }

  /**
   * @return the serialized form
   */
  public byte[] toBytes() {
    return new Wire.Writer(binarySize(), Wire.KIND_PUBLIC_KEY)
        .i64(params.id())
        .bytes(seed)
        .rows(params.ring(), b, allRows(params))
        .finish();
  }

  /**
   * Reads and validates a public key.
   *
   * @param params the parameters
   * @param in source
   * @return the key
   * @throws IOException if truncated, or on a wrong version, kind or parameters id, a coefficient
   *     not below its modulus, an all-zero seed or a checksum mismatch
   */
  public static PublicKey readFrom(Parameters params, DataInput in) throws IOException {
    return read(params, new Wire.Reader(in, "PublicKey"));
  }

  /**
   * @param params the parameters
   * @param buf source
   * @return the key
   * @throws IOException as {@link #readFrom(Parameters, DataInput)}
   */
  public static PublicKey readFrom(Parameters params, ByteBuffer buf) throws IOException {
    return read(params, new Wire.Reader(buf, "PublicKey"));
  }

  private static PublicKey read(Parameters params, Wire.Reader r) throws IOException {
    r.header(Wire.KIND_PUBLIC_KEY);
    SwitchingKey.checkId(params, r);
    byte[] seed = SwitchingKey.readSeed(r);
    Poly b = params.ring().newPoly();
    int[] rows = allRows(params);
    r.rows(params.ring(), b, rows, "b");
    r.checksum();
    Poly a = params.ring().newPoly();
    Uniform.expand(params.ring(), seed, 0, rows, a);
    return new PublicKey(params, seed, b, a);
  }
}
