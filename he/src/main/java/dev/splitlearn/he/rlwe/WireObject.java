package dev.splitlearn.he.rlwe;

import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An object with a versioned, checksummed wire form ({@code version u8 | kind u8 | fields |
 * CRC32C}); each implementation reads itself back with static {@code readFrom(...)} methods that
 * validate every field.
 */
public interface WireObject {
  /**
   * @return the serialized size in bytes
   */
  int binarySize();

  /**
   * @return the serialized form
   */
  byte[] toBytes();

  /**
   * @param out destination
   * @throws IOException if writing fails
   */
  default void writeTo(DataOutput out) throws IOException {
    out.write(toBytes());
  }

  /**
   * @param buf destination
   */
  default void writeTo(ByteBuffer buf) {
    buf.put(toBytes());
  }
}
