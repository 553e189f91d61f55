package dev.splitlearn.he.ring;

/**
 * Packs rows of residues into {@code bits} bits each (little-endian bit order), so that a row
 * modulo a {@code k}-bit prime takes {@code ceil(N k / 8)} bytes instead of {@code 8 N}.
 */
public final class BitPacker {

  private BitPacker() {}

  /**
   * @param n number of values
   * @param bits bits per value, in [1, 63]
   * @return the packed size in bytes
   */
  public static int packedBytes(int n, int bits) {
    return (int) (((long) n * bits + 7) / 8);
  }

  /**
   * Packs {@code row} into {@code dst[off ..]}.
   *
   * @param row values, each in {@code [0, 2^bits)}
   * @param bits bits per value, in [1, 63]
   * @param dst destination with at least {@link #packedBytes} bytes from {@code off}
   * @param off start offset
   */
  public static void pack(long[] row, int bits, byte[] dst, int off) {
    java.util.Arrays.fill(dst, off, off + packedBytes(row.length, bits), (byte) 0);
    long bitPos = (long) off * 8;
    for (long v : row) {
      int byteIdx = (int) (bitPos >>> 3);
      int shift = (int) (bitPos & 7);
      int nbytes = (bits + shift + 7) >>> 3;
      long lowPart = v << shift;
      int first = Math.min(nbytes, 8);
      for (int b = 0; b < first; b++) {
        dst[byteIdx + b] |= (byte) (lowPart >>> (8 * b));
      }
      if (nbytes > 8) {
        dst[byteIdx + 8] |= (byte) (v >>> (64 - shift));
      }
      bitPos += bits;
    }
  }

  /**
   * Unpacks {@code row.length} values of {@code bits} bits from {@code src[off ..]} and checks each
   * is below {@code bound}.
   *
   * @param src packed bytes
   * @param off start offset
   * @param bits bits per value, in [1, 63]
   * @param bound exclusive upper bound of valid values (the modulus)
   * @param row destination
   * @return -1 if all values are valid, else the index of the first value {@code >= bound}
   */
  public static int unpack(byte[] src, int off, int bits, long bound, long[] row) {
    long mask = bits == 64 ? -1L : (1L << bits) - 1;
    long bitPos = (long) off * 8;
    int bad = -1;
    for (int k = 0; k < row.length; k++) {
      int byteIdx = (int) (bitPos >>> 3);
      int shift = (int) (bitPos & 7);
      long v = 0;
      int need = bits + shift;
      int nbytes = (need + 7) >>> 3;
      // read up to 8 bytes little-endian, then the 9th if needed
      int first = Math.min(nbytes, 8);
      for (int b = 0; b < first; b++) {
        v |= (src[byteIdx + b] & 0xffL) << (8 * b);
      }
      v >>>= shift;
      if (nbytes > 8) {
        v |= (src[byteIdx + 8] & 0xffL) << (64 - shift);
      }
      v &= mask;
      row[k] = v;
      if (v >= bound && bad < 0) {
        bad = k;
      }
      bitPos += bits;
    }
    return bad;
  }
}
