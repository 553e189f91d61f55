package dev.splitlearn.privacy;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes arrays in NumPy's {@code .npy} format, version 1.0 (little-endian float32 {@code <f4} or
 * int32 {@code <i4}, C order), so other tools can load what splitlearn exports with {@code
 * numpy.load}. Files are written atomically. Reads back what it writes (and what {@code numpy.save}
 * writes for those two types), so reports can show exported samples.
 */
public final class Npy {
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private Npy() {}

  /**
   * An array read from a {@code .npy} file, its values as float32 in C order.
   *
   * @param shape the dimensions, outermost first
   * @param data {@code product(shape)} values
   */
  public record Array(long[] shape, float[] data) {}

  /**
   * Reads a version 1.0 or 2.0 {@code .npy} file of {@code <f4} or {@code <i4} values in C order
   * (int32 values are converted to float).
   *
   * @throws IOException if the file cannot be read, is not a {@code .npy} file, is of another type
   *     or order, or is shorter than its shape says
   */
  public static Array read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    if (bytes.length < 10
        || !Arrays.equals(Arrays.copyOf(bytes, 6), magic)
        || bytes[6] < 1
        || bytes[6] > 2) {
      throw new IOException(file + ": not a version 1 or 2 .npy file");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = bytes[6] == 1 ? Short.toUnsignedInt(in.getShort(8)) : in.getInt(8);
    int start = bytes[6] == 1 ? 10 : 12;
    if (headerLength < 0 || start + headerLength > bytes.length) {
      throw new IOException(file + ": truncated .npy header");
    }
    String dict = new String(bytes, start, headerLength, StandardCharsets.US_ASCII);
    Matcher descr = DESCR.matcher(dict);
    Matcher fortran = FORTRAN.matcher(dict);
    Matcher dims = SHAPE.matcher(dict);
    if (!descr.find() || !fortran.find() || !dims.find()) {
      throw new IOException(file + ": malformed .npy header " + dict.strip());
    }
    String type = descr.group(1);
    if (!type.equals("<f4") && !type.equals("<i4") || fortran.group(1).equals("True")) {
      throw new IOException(
          file + ": only <f4 and <i4 arrays in C order are read, got " + dict.strip());
    }
    long[] shape =
        Arrays.stream(dims.group(1).split(","))
            .map(String::strip)
            .filter(d -> !d.isEmpty())
            .mapToLong(Long::parseLong)
            .toArray();
    long size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (size > (bytes.length - start - headerLength) / 4) {
      throw new IOException(
          file
              + ": shape "
              + Arrays.toString(shape)
              + " needs "
              + size * 4
              + " bytes of data, the file has "
              + (bytes.length - start - headerLength));
    }
    float[] data = new float[(int) size];
    in.position(start + headerLength);
    for (int i = 0; i < data.length; i++) {
      data[i] = type.equals("<f4") ? in.getFloat() : in.getInt();
    }
    return new Array(shape, data);
  }

  /** Writes float32 {@code data} of {@code shape} to {@code file}. */
  public static void writeFloats(Path file, long[] shape, float[] data) throws IOException {
    check(shape, data.length);
    write(
        file,
        "<f4",
        shape,
        out -> {
          for (float v : data) {
            out.writeInt(Integer.reverseBytes(Float.floatToRawIntBits(v)));
          }
        });
  }

  /** Writes int32 {@code data} of {@code shape} to {@code file}. */
  public static void writeInts(Path file, long[] shape, int[] data) throws IOException {
    check(shape, data.length);
    write(
        file,
        "<i4",
        shape,
        out -> {
          for (int v : data) {
            out.writeInt(Integer.reverseBytes(v));
          }
        });
  }

  /**
   * The header (magic, version, length, dictionary padded to a multiple of 64 bytes with a
   * newline).
   */
  static byte[] header(String descr, long[] shape) {
    String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
    String dict =
        "{'descr': '"
            + descr
            + "', 'fortran_order': False, 'shape': ("
            + dims
            + (shape.length == 1 ? "," : "")
            + "), }";
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
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + size + " values, got " + n);
    }
  }
}
