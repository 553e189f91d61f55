package dev.splitlearn.data.tools;

import dev.splitlearn.data.IdxArray;
import dev.splitlearn.data.IdxReader;
import dev.splitlearn.data.IdxWriter;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Writes the first {@code K} training and first {@code M} test samples of an MNIST-style IDX data
 * set as gzipped IDX files with the standard names, e.g. to make a small demo fixture. The bytes
 * are copied unchanged; only the counts in the headers change. The output is deterministic.
 *
 * <p>Usage: {@code java -cp splitlearn-data.jar dev.splitlearn.data.tools.MakeSubset SRC_DIR
 * DST_DIR K M}
 */
public final class MakeSubset {

  private static final String[][] PAIRS = {
    {"train-images-idx3-ubyte", "train-labels-idx1-ubyte"},
    {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"},
  };

  private MakeSubset() {}

  /**
   * Command-line entry point; exits with status 2 on bad usage and 1 on an I/O error.
   *
   * @param args {@code SRC_DIR DST_DIR TRAIN_COUNT TEST_COUNT}
   */
  public static void main(String[] args) {
    if (args.length != 4) {
      System.err.println("usage: MakeSubset SRC_DIR DST_DIR TRAIN_COUNT TEST_COUNT");
      System.exit(2);
    }
    try {
      write(
          Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("MakeSubset: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Writes the subset.
   *
   * @param src a directory with {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]}
   * @param dst the output directory (created); gets the four files with a {@code .gz} suffix
   * @param trainCount training samples to keep, at most the source's count
   * @param testCount test samples to keep, at most the source's count
   * @throws IOException if a source file is missing or malformed, or writing fails
   * @throws IllegalArgumentException if a count is negative or larger than the source's
   */
  public static void write(Path src, Path dst, int trainCount, int testCount) throws IOException {
    int[] counts = {trainCount, testCount};
    for (int k = 0; k < PAIRS.length; k++) {
      IdxArray images = IdxReader.read(find(src, PAIRS[k][0]), IdxReader.IMAGES_MAGIC);
      IdxArray labels = IdxReader.read(find(src, PAIRS[k][1]), IdxReader.LABELS_MAGIC);
      if (images.count() != labels.count()) {
        throw new IOException(
            src
                + ": "
                + images.count()
                + " images but "
                + labels.count()
                + " labels in "
                + PAIRS[k][0]
                + " / "
                + PAIRS[k][1]);
      }
      IdxWriter.write(dst.resolve(PAIRS[k][0] + ".gz"), images.first(counts[k]));
      IdxWriter.write(dst.resolve(PAIRS[k][1] + ".gz"), labels.first(counts[k]));
    }
  }

  private static Path find(Path dir, String base) throws IOException {
    Path p = IdxReader.find(dir, base);
    if (p == null) {
      throw new NoSuchFileException(
          dir.resolve(base).toString(), null, "missing (nor " + base + ".gz)");
    }
    return p;
  }
}
