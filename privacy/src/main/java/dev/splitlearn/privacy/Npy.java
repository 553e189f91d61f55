package dev.splitlearn.privacy;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes arrays in NumPy's {@code .npy} format, version 1.0 (little-endian float32 {@code <f4} or
 * int32 {@code <i4}, C order), so other tools can load what splitlearn exports with
 * {@code numpy.load}. Files are written atomically.
 */
public final class Npy {
  private Npy() {}

  /** Writes float32 {@code data} of {@code shape} to {@code file}. */
  public static void writeFloats(Path file, long[] shape, float[] data) throws IOException {
    check(shape, data.length);
    write(file, "<f4", shape, out -> {
      for (float v : data) {
        out.writeInt(Integer.reverseBytes(Float.floatToRawIntBits(v)));
      }
    });
  }

  /** Writes int32 {@code data} of {@code shape} to {@code file}. */
  public static void writeInts(Path file, long[] shape, int[] data) throws IOException {
    check(shape, data.length);
    write(file, "<i4", shape, out -> {
      for (int v : data) {
        out.writeInt(Integer.reverseBytes(v));
      }
    });
  }

  /** The header (magic, version, length, dictionary padded to a multiple of 64 bytes with a newline). */
  static byte[] header(String descr, long[] shape) {
    String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims
        + (shape.length == 1 ? "," : "") + "), }";
    int unpadded = 10 + dict.length() + 1;
    int padded = (unpadded + 63) / 64 * 64;
    String text = dict + " ".repeat(padded - unpadded) + "\n";
    byte[] h = new byte[10 + text.length()];
    byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    System.arraycopy(magic, 0, h, 0, magic.length);
    h[8] = (byte) (text.length() & 0xff);
    h[9] = (byte) (text.length() >>> 8);
    System.arraycopy(text.getBytes(StandardCharsets.US_ASCII), 0, h, 10, text.length());
    return h;
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static void write(Path file, String descr, long[] shape, Body body) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream os = Files.newOutputStream(tmp);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
      out.write(header(descr, shape));
      body.write(out);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void check(long[] shape, int n) {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    if (size != n) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size + " values, got " + n);
    }
  }
}
