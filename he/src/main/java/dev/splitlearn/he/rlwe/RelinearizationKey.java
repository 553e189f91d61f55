package dev.splitlearn.he.rlwe;

import java.io.DataInput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The relinearisation key: a {@link SwitchingKey} from {@code s^2} to {@code s}. Immutable.
 *
 * <p>Wire format (version 1): {@code version u8 | kind 'R' | parameters id i64 | seed 32 bytes |
 * b_0..b_L rows over Q and P bit-packed | CRC32C u32}.
 */
public final class RelinearizationKey implements WireObject {

  private final SwitchingKey key;

  RelinearizationKey(SwitchingKey key) {
    this.key = key;
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
    return Wire.HEADER_BYTES + key.bodySize() + Wire.CRC_BYTES;
  }

  /**
   * @return the serialized form
   */
  public byte[] toBytes() {
    Wire.Writer w = new Wire.Writer(binarySize(), Wire.KIND_RELIN_KEY);
    key.writeBody(w);
    return w.finish();
  }

  /**
   * @param params the parameters
   * @param in source
   * @return the key
   * @throws IOException if truncated or malformed (version, kind, parameters id, coefficient, seed,
   *     checksum)
   */
  public static RelinearizationKey readFrom(Parameters params, DataInput in) throws IOException {
    return read(params, new Wire.Reader(in, "RelinearizationKey"));
  }

  /**
   * @param params the parameters
   * @param buf source
   * @return the key
   * @throws IOException as {@link #readFrom(Parameters, DataInput)}
   */
  public static RelinearizationKey readFrom(Parameters params, ByteBuffer buf) throws IOException {
    return read(params, new Wire.Reader(buf, "RelinearizationKey"));
  }

  private static RelinearizationKey read(Parameters params, Wire.Reader r) throws IOException {
    r.header(Wire.KIND_RELIN_KEY);
    SwitchingKey k = SwitchingKey.readBody(params, r);
    r.checksum();
    return new RelinearizationKey(k);
  }
}
