package dev.splitlearn.he.rlwe;

import java.io.DataInput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A Galois key for the automorphism {@code X -> X^galEl}: a {@link SwitchingKey} from {@code
 * s(X^galEl)} to {@code s}. Rotating CKKS slots by {@code k} uses {@code galEl = 5^k mod 2N}.
 * Immutable.
 *
 * <p>Wire format (version 1): {@code version u8 | kind 'G' | galEl i64 | parameters id i64 | seed
 * 32 bytes | b_0..b_L rows over Q and P bit-packed | CRC32C u32}.
 */
public final class GaloisKey implements WireObject {

  private final long galoisElement;
  private final SwitchingKey key;

  GaloisKey(long galoisElement, SwitchingKey key) {
    this.galoisElement = galoisElement;
    this.key = key;
  }

  /**
   * @return the Galois element
   */
  public long galoisElement() {
    return galoisElement;
  }

  /**
   * @return the underlying switching key
   */
  public SwitchingKey switchingKey() {
    return key;
  }

  /**
   * @return the serialized size in bytes
   */
  public int binarySize() {
    return Wire.HEADER_BYTES + 8 + key.bodySize() + Wire.CRC_BYTES;
  }

  /**
   * @return the serialized form
   */
  public byte[] toBytes() {
    Wire.Writer w = new Wire.Writer(binarySize(), Wire.KIND_GALOIS_KEY);
    w.i64(galoisElement);
    key.writeBody(w);
    return w.finish();
  }

  /**
   * @param params the parameters
   * @param in source
   * @return the key
   * @throws IOException if truncated or malformed (version, kind, Galois element, parameters id,
   *     coefficient, seed, checksum)
   */
  public static GaloisKey readFrom(Parameters params, DataInput in) throws IOException {
    return read(params, new Wire.Reader(in, "GaloisKey"));
  }

  /**
   * @param params the parameters
   * @param buf source
   * @return the key
   * @throws IOException as {@link #readFrom(Parameters, DataInput)}
   */
  public static GaloisKey readFrom(Parameters params, ByteBuffer buf) throws IOException {
    return read(params, new Wire.Reader(buf, "GaloisKey"));
  }

  private static GaloisKey read(Parameters params, Wire.Reader r) throws IOException {
    r.header(Wire.KIND_GALOIS_KEY);
    long galEl = r.i64("galEl");
    if ((galEl & 1) == 0 || galEl < 1 || galEl >= 2L * params.n()) {
      throw r.error("Galois element " + galEl + " is not odd and in [1, 2N)");
    }
    SwitchingKey k = SwitchingKey.readBody(params, r);
    r.checksum();
    return new GaloisKey(galEl, k);
  }
}
