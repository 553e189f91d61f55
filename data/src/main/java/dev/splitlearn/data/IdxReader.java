package dev.splitlearn.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST and Fashion-MNIST format), raw or gzip-compressed.
 *
 * <p>An IDX file is a big-endian header, {@code 0x00 0x00 type ndim} followed by {@code ndim}
 * 32-bit dimensions, then the data. Only unsigned bytes (type 0x08) are supported. Compression is
 * recognised by the gzip magic bytes, whatever the file name.
 *
 * <p>Every problem is an {@link IOException} whose one-line message starts with the file path and
 * says what is wrong: bad magic, truncated data, trailing bytes, corrupt gzip stream, count
 * mismatch between images and labels, label out of range.
 */
public final class IdxReader {

  /** Magic number of an IDX file of unsigned-byte images ({@code count x rows x cols}). */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** Magic number of an IDX file of unsigned-byte labels ({@code count}). */
  public static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {}

  /**
   * Reads an IDX file and checks its magic number.
   *
   * @param file the file, raw or gzip
   * @param expectedMagic {@link #IMAGES_MAGIC}, {@link #LABELS_MAGIC}, or another {@code
   *     0x000008nn}
   * @return the dimensions and bytes
   * @throws IOException if the file cannot be read, has another magic number, or its length does
   *     not match its header
   * @throws IllegalArgumentException if {@code expectedMagic} is not {@code 0x000008nn} with {@code
   *     nn > 0}
   */
  public static IdxArray read(Path file, int expectedMagic) throws IOException {
    if ((expectedMagic & 0xFFFFFF00) != 0x00000800 || (expectedMagic & 0xFF) == 0) {
      throw new IllegalArgumentException(
          String.format(
              "cannot read IDX: magic 0x%08x is not an unsigned-byte IDX magic 0x000008nn",
              expectedMagic));
    }
    boolean gz = isGzip(file);
    long rawSize = Files.size(file);
    try (InputStream in = open(file, gz);
        DataInputStream data = new DataInputStream(in)) {
      int magic = readHeaderInt(data, file, "magic number");
      if (magic != expectedMagic) {
        throw new IOException(
            String.format(
                "%s: bad magic 0x%08x, expected 0x%08x (%s)",
                file, magic, expectedMagic, describe(expectedMagic)));
      }
      int ndim = magic & 0xFF;
      int[] dims = new int[ndim];
      for (int i = 0; i < ndim; i++) {
        dims[i] = readHeaderInt(data, file, "dimension " + i);
      }
      long expected = IdxArray.length(dims);
      if (expected < 0 || expected > Integer.MAX_VALUE - 64) {
        throw new IOException(
            file
                + ": bad header: dimensions "
                + Arrays.toString(dims)
                + " are negative or too large");
      }
      long headerLength = 4L + 4L * ndim;
      if (!gz && rawSize != headerLength + expected) {
        throw new IOException(
            file
                + ": file length "
                + rawSize
                + " does not match header "
                + Arrays.toString(dims)
                + " (expected "
                + (headerLength + expected)
                + " bytes)"
                + (rawSize < headerLength + expected ? ", truncated" : ""));
      }
      byte[] bytes = data.readNBytes((int) expected);
      if (bytes.length < expected) {
        throw new IOException(
            file
                + ": truncated: header "
                + Arrays.toString(dims)
                + " needs "
                + expected
                + " data bytes, found "
                + bytes.length);
      }
      if (data.read() != -1) {
        throw new IOException(
            file
                + ": longer than its header "
                + Arrays.toString(dims)
                + " says (trailing bytes after "
                + (headerLength + expected)
                + ")");
      }
      return new IdxArray(dims, bytes);
    } catch (ZipException | EOFException e) {
      throw new IOException(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Reads an image file and a label file into a data set of images scaled to [0, 1], shape {@code
   * {1, rows, cols}}.
   *
   * @param name the data set name
   * @param images the images file ({@link #IMAGES_MAGIC})
   * @param labels the labels file ({@link #LABELS_MAGIC})
   * @param classNames the class names; every label must be below their count
   * @return the data set
   * @throws IOException if a file is unreadable or malformed, the counts differ, or a label is out
   *     of range
   */
  public static Dataset readDataset(String name, Path images, Path labels, List<String> classNames)
      throws IOException {
    IdxArray img = read(images, IMAGES_MAGIC);
    IdxArray lab = read(labels, LABELS_MAGIC);
    if (img.count() != lab.count()) {
      throw new IOException(
          images
              + ": "
              + img.count()
              + " images but "
              + labels
              + " has "
              + lab.count()
              + " labels");
    }
    byte[] lb = lab.data();
    int[] l = new int[lb.length];
    for (int i = 0; i < lb.length; i++) {
      l[i] = lb[i] & 0xFF;
      if (l[i] >= classNames.size()) {
        throw new IOException(
            labels
                + ": label "
                + l[i]
                + " of item "
                + i
                + " is outside [0, "
                + classNames.size()
                + ")");
      }
    }
    byte[] px = img.data();
    float[] f = new float[px.length];
    for (int i = 0; i < px.length; i++) {
      f[i] = (px[i] & 0xFF) / 255f;
    }
    int[] dims = img.dims();
    return Dataset.wrap(name, new int[] {1, dims[1], dims[2]}, f, l, classNames);
  }

  /**
   * Finds {@code dir/baseName} or, failing that, {@code dir/baseName.gz}.
   *
   * @param dir the directory
   * @param baseName the uncompressed file name, e.g. {@code train-images-idx3-ubyte}
   * @return the existing file, or null if neither exists
   */
  public static Path find(Path dir, String baseName) {
    Path raw = dir.resolve(baseName);
    if (Files.isRegularFile(raw)) {
      return raw;
    }
    Path gz = dir.resolve(baseName + ".gz");
    return Files.isRegularFile(gz) ? gz : null;
  }

  private static String describe(int magic) {
    return switch (magic) {
      case IMAGES_MAGIC -> "IDX images";
      case LABELS_MAGIC -> "IDX labels";
      default -> "IDX";
    };
  }

  private static int readHeaderInt(DataInputStream in, Path file, String what) throws IOException {
    try {
      return in.readInt();
    } catch (EOFException e) {
      throw new IOException(file + ": truncated header: file ends before the " + what, e);
    }
  }

  static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  private static InputStream open(Path file, boolean gz) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    if (!gz) {
      return in;
    }
    try {
      return new GZIPInputStream(in, 1 << 16);
    } catch (IOException e) {
      in.close();
      throw new IOException(file + ": corrupt gzip header (" + e.getMessage() + ")", e);
    }
  }
}
