package dev.splitlearn.data.wfdb;

/**
 * WFDB signal format 212: 12-bit two's-complement samples, two packed in three bytes.
 *
 * <p>The samples of all signals in a file are interleaved frame by frame ({@code s0[0], s1[0],
 * s0[1], s1[1], ...} for two signals), and consecutive values of that stream are packed in pairs:
 * for values {@code a} and {@code b}, byte 0 is the low 8 bits of {@code a}, byte 1 holds the high
 * 4 bits of {@code a} in its low nibble and the high 4 bits of {@code b} in its high nibble, byte 2
 * is the low 8 bits of {@code b}. An odd final value takes two bytes.
 */
public final class Format212 {

  /** Smallest value a 12-bit sample can hold. */
  public static final int MIN = -2048;

  /** Largest value a 12-bit sample can hold. */
  public static final int MAX = 2047;

  private Format212() {}

  /**
   * @param values the number of samples over all signals
   * @return the number of bytes that hold them
   */
  public static long byteLength(long values) {
    return values / 2 * 3 + (values % 2) * 2;
  }

  /**
   * Decodes interleaved signals.
   *
   * @param data the file contents, at least {@code byteLength(nsig * nsamp)} bytes
   * @param nsig the number of interleaved signals
   * @param nsamp samples per signal
   * @return {@code [nsig][nsamp]} sample values in [-2048, 2047]
   * @throws IllegalArgumentException if {@code data} is too short
   */
  public static int[][] decode(byte[] data, int nsig, int nsamp) {
    long total = (long) nsig * nsamp;
    if (data.length < byteLength(total)) {
      throw new IllegalArgumentException(
          "format 212 data of " + data.length + " bytes is too short for " + total + " samples");
    }
    int[][] out = new int[nsig][nsamp];
    int sig = 0;
    int t = 0;
    int p = 0;
    for (long j = 0; j < total; j += 2) {
      int b0 = data[p] & 0xFF;
      int b1 = data[p + 1] & 0xFF;
      out[sig][t] = ((b0 | (b1 & 0x0F) << 8) << 20) >> 20;
      if (++sig == nsig) {
        sig = 0;
        t++;
      }
      if (j + 1 < total) {
        int b2 = data[p + 2] & 0xFF;
        out[sig][t] = ((b2 | (b1 & 0xF0) << 4) << 20) >> 20;
        if (++sig == nsig) {
          sig = 0;
          t++;
        }
      }
      p += 3;
    }
    return out;
  }

  /**
   * Encodes signals of equal length, interleaved.
   *
   * @param signals {@code [nsig][nsamp]} values in [-2048, 2047]
   * @return the format 212 bytes
   * @throws IllegalArgumentException if the signals differ in length or a value does not fit in 12
   *     bits
   */
  public static byte[] encode(int[][] signals) {
    int nsig = signals.length;
    int nsamp = nsig == 0 ? 0 : signals[0].length;
    for (int[] s : signals) {
      if (s.length != nsamp) {
        throw new IllegalArgumentException(
            "signals differ in length: " + s.length + " vs " + nsamp);
      }
    }
    long total = (long) nsig * nsamp;
    byte[] out = new byte[Math.toIntExact(byteLength(total))];
    int p = 0;
    for (long j = 0; j < total; j += 2) {
      int a = check(signals[(int) (j % nsig)][(int) (j / nsig)]);
      out[p] = (byte) a;
      if (j + 1 < total) {
        int b = check(signals[(int) ((j + 1) % nsig)][(int) ((j + 1) / nsig)]);
        out[p + 1] = (byte) ((a >> 8 & 0x0F) | (b >> 4 & 0xF0));
        out[p + 2] = (byte) b;
        p += 3;
      } else {
        out[p + 1] = (byte) (a >> 8 & 0x0F);
      }
    }
    return out;
  }

  private static int check(int v) {
    if (v < MIN || v > MAX) {
      throw new IllegalArgumentException("sample " + v + " does not fit in 12 bits");
    }
    return v;
  }
}
