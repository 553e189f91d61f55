package dev.splitlearn.he.rlwe;

import dev.splitlearn.he.ring.BitPacker;
import dev.splitlearn.he.ring.Modulus;
import dev.splitlearn.he.ring.Poly;
import dev.splitlearn.he.ring.Ring;
import java.io.DataInput;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Shared plumbing of the wire formats: every object is {@code version (u8) | kind (u8) | fields...
 * | CRC32C (u32) of everything before it}. Polynomial rows are bit-packed to the bit length of
 * their modulus.
 */
final class Wire {

  static final int VERSION = 1;
  static final byte KIND_LITERAL = 'L';
  static final byte KIND_CIPHERTEXT = 'C';
  static final byte KIND_PUBLIC_KEY = 'K';
  static final byte KIND_RELIN_KEY = 'R';
  static final byte KIND_GALOIS_KEY = 'G';
  static final int HEADER_BYTES = 2;
  static final int CRC_BYTES = 4;

  private Wire() {}

  /** Size of rows 0..level of a polynomial plus the given extra rows, bit-packed. */
  static int rowsBytes(Ring ring, int[] rows) {
    int total = 0;
    for (int r : rows) {
      total += BitPacker.packedBytes(ring.n(), ring.modulus(r).bits());
    }
    return total;
  }

  static int[] range(int from, int toInclusive) {
    int[] r = new int[Math.max(0, toInclusive - from + 1)];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  static int[] concat(int[] a, int[] b) {
    int[] r = new int[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /** Writer into an exact-size array; {@link #finish()} appends the checksum. */
  static final class Writer {
    private final ByteBuffer buf;

    Writer(int size, byte kind) {
      buf = ByteBuffer.allocate(size);
      buf.put((byte) VERSION).put(kind);
    }

    Writer u8(int v) {
      buf.put((byte) v);
      return this;
    }

    Writer i32(int v) {
      buf.putInt(v);
      return this;
    }

    Writer i64(long v) {
      buf.putLong(v);
      return this;
    }

    Writer f64(double v) {
      buf.putDouble(v);
      return this;
    }

    Writer bytes(byte[] v) {
      buf.put(v);
      return this;
    }

    Writer rows(Ring ring, Poly p, int[] rows) {
      byte[] a = buf.array();
      for (int r : rows) {
        int bits = ring.modulus(r).bits();
        BitPacker.pack(p.coeffs()[r], bits, a, buf.position());
        buf.position(buf.position() + BitPacker.packedBytes(ring.n(), bits));
      }
      return this;
    }

    byte[] finish() {
      CRC32C crc = new CRC32C();
      crc.update(buf.array(), 0, buf.position());
      buf.putInt((int) crc.getValue());
      if (buf.hasRemaining()) {
        throw new IllegalStateException("binarySize mismatch: " + buf.remaining() + " bytes left");
      }
      return buf.array();
    }
  }

  /**
   * Reader over a DataInput or a ByteBuffer that tracks the checksum and names what is truncated.
   */
  static final class Reader {
    private final DataInput in;
    private final ByteBuffer bb;
    private final String what;
    private final CRC32C crc = new CRC32C();
    private final byte[] one = new byte[8];

    Reader(DataInput in, String what) {
      this.in = in;
      this.bb = null;
      this.what = what;
    }

    Reader(ByteBuffer bb, String what) {
      this.in = null;
      this.bb = bb;
      this.what = what;
    }

    private void raw(byte[] dst, int len, String field) throws IOException {
      if (bb != null) {
        if (bb.remaining() < len) {
          throw new EOFException(
              "truncated "
                  + what
                  + ": need "
                  + len
                  + " bytes for "
                  + field
                  + ", only "
                  + bb.remaining()
                  + " left");
        }
        bb.get(dst, 0, len);
      } else {
        try {
          in.readFully(dst, 0, len);
        } catch (EOFException e) {
          throw new EOFException("truncated " + what + ": input ended while reading " + field);
        }
      }
    }

    void header(byte expectedKind) throws IOException {
      int version = u8("version");
      if (version != VERSION) {
        throw new WireFormatException(
            "cannot read "
                + what
                + ": unsupported version "
                + version
                + " (expected "
                + VERSION
                + ")");
      }
      int kind = u8("kind");
      if (kind != expectedKind) {
        throw new WireFormatException(
            "cannot read "
                + what
                + ": kind byte is '"
                + (char) kind
                + "' (0x"
                + Integer.toHexString(kind)
                + "), expected '"
                + (char) expectedKind
                + "'");
      }
    }

    int u8(String field) throws IOException {
      raw(one, 1, field);
      crc.update(one, 0, 1);
      return one[0] & 0xff;
    }

    int i32(String field) throws IOException {
      raw(one, 4, field);
      crc.update(one, 0, 4);
      return ByteBuffer.wrap(one, 0, 4).getInt();
    }

    long i64(String field) throws IOException {
      raw(one, 8, field);
      crc.update(one, 0, 8);
      return ByteBuffer.wrap(one, 0, 8).getLong();
    }

    double f64(String field) throws IOException {
      return Double.longBitsToDouble(i64(field));
    }

    byte[] bytes(int len, String field) throws IOException {
      byte[] b = new byte[len];
      raw(b, len, field);
      crc.update(b, 0, len);
      return b;
    }

    /** Reads bit-packed rows into {@code p}, validating every coefficient against its modulus. */
    void rows(Ring ring, Poly p, int[] rows, String field) throws IOException {
      int n = ring.n();
      for (int r : rows) {
        Modulus m = ring.modulus(r);
        int len = BitPacker.packedBytes(n, m.bits());
        byte[] b = bytes(len, field + " row " + r);
        int bad = BitPacker.unpack(b, 0, m.bits(), m.value(), p.coeffs()[r]);
        if (bad >= 0) {
          throw new WireFormatException(
              "cannot read "
                  + what
                  + ": "
                  + field
                  + " row "
                  + r
                  + " coefficient "
                  + bad
                  + " is "
                  + p.coeffs()[r][bad]
                  + ", not below the modulus "
                  + m.value());
        }
      }
    }

    void checksum() throws IOException {
      int expected = (int) crc.getValue();
      raw(one, 4, "checksum");
      int actual = ByteBuffer.wrap(one, 0, 4).getInt();
      if (actual != expected) {
        throw new WireFormatException(
            "cannot read "
                + what
                + ": checksum mismatch (stored 0x"
                + Integer.toHexString(actual)
                + ", computed 0x"
                + Integer.toHexString(expected)
                + "): the data is corrupted");
      }
    }

    WireFormatException error(String message) {
      return new WireFormatException("cannot read " + what + ": " + message);
    }
  }
}
