package dev.splitlearn.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary version of CIFAR-10 (Krizhevsky 2009).
 *
 * <p>Layout under the data set's directory, as in the official archive {@code
 * cifar-10-binary.tar.gz}: {@code cifar-10-batches-bin/data_batch_1.bin .. data_batch_5.bin}
 * (training), {@code cifar-10-batches-bin/test_batch.bin} and the optional {@code batches.meta.txt}
 * with one class name per line. Each batch file is a sequence of {@value #RECORD}-byte records: one
 * label byte in [0, 10) and 3,072 pixel bytes, the 1,024 red, then green, then blue values of a
 * 32x32 image, each row-major. Samples keep that channel-major layout, shape {@code {3, 32, 32}},
 * scaled to [0, 1].
 */
public final class Cifar10 {

  /** Bytes per record: one label and 3 x 32 x 32 pixels. */
  public static final int RECORD = 1 + 3 * 32 * 32;

  /** Folder inside the data set's directory, as in the official archive. */
  public static final String FOLDER = "cifar-10-batches-bin";

  /** Training files, in reading order. */
  public static final List<String> TRAIN_FILES =
      List.of(
          "data_batch_1.bin",
          "data_batch_2.bin",
          "data_batch_3.bin",
          "data_batch_4.bin",
          "data_batch_5.bin");

  /** The test file. */
  public static final String TEST_FILE = "test_batch.bin";

  /** The class-names file. */
  public static final String META_FILE = "batches.meta.txt";

  /** Class names used when {@value #META_FILE} is absent. */
  public static final List<String> CLASSES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  private static final int[] SHAPE = {3, 32, 32};

  private Cifar10() {}

  /**
   * Reads the five training files and the test file.
   *
   * @param dir the data set's directory, holding {@value #FOLDER}
   * @return train (50,000 samples for the real data) and test (10,000), named {@code cifar10/train}
   *     and {@code cifar10/test}
   * @throws IOException if a file is missing, its length is not a multiple of {@value #RECORD}, a
   *     label is 10 or more, or {@value #META_FILE} does not hold ten names
   */
  public static TrainTest load(Path dir) throws IOException {
    Path bin = dir.resolve(FOLDER);
    List<String> classes = classNames(bin.resolve(META_FILE));
    List<Path> train = new ArrayList<>();
    for (String f : TRAIN_FILES) {
      train.add(bin.resolve(f));
    }
    return new TrainTest(
        read("cifar10/train", train, classes),
        read("cifar10/test", List.of(bin.resolve(TEST_FILE)), classes));
  }

  /**
   * Reads and concatenates batch files into a data set named {@code cifar10}.
   *
   * @param files batch files, read in order
   * @param classNames the class names; every label must be below their count
   * @return the samples of all files
   * @throws IOException naming the file if it is missing, its length is not a positive multiple of
   *     {@value #RECORD}, or a label is out of range
   */
  public static Dataset read(List<Path> files, List<String> classNames) throws IOException {
    return read("cifar10", files, classNames);
  }

  private static Dataset read(String name, List<Path> files, List<String> classNames)
      throws IOException {
    List<byte[]> contents = new ArrayList<>();
    long records = 0;
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new NoSuchFileException(f.toString(), null, "missing CIFAR-10 batch file");
      }
      byte[] b = Files.readAllBytes(f);
      if (b.length == 0 || b.length % RECORD != 0) {
        throw new IOException(
            f
                + ": length "
                + b.length
                + " is not a positive multiple of the "
                + RECORD
                + "-byte CIFAR-10 record (truncated or not a CIFAR-10 binary batch)");
      }
      contents.add(b);
      records += b.length / RECORD;
    }
    int n = Math.toIntExact(records);
    int len = RECORD - 1;
    float[] features = new float[Math.multiplyExact(n, len)];
    int[] labels = new int[n];
    int r = 0;
    for (int k = 0; k < contents.size(); k++) {
      byte[] b = contents.get(k);
      for (int off = 0; off < b.length; off += RECORD, r++) {
        int label = b[off] & 0xFF;
        if (label >= classNames.size()) {
          throw new IOException(
              files.get(k)
                  + ": record "
                  + off / RECORD
                  + " has label "
                  + label
                  + ", expected 0.."
                  + (classNames.size() - 1));
        }
        labels[r] = label;
        int base = r * len;
        for (int j = 0; j < len; j++) {
          features[base + j] = (b[off + 1 + j] & 0xFF) / 255f;
        }
      }
    }
    return Dataset.wrap(name, SHAPE.clone(), features, labels, classNames);
  }

  /**
   * Reads class names (non-blank lines), or returns {@link #CLASSES} if the file is absent.
   *
   * @param meta the {@value #META_FILE} file
   * @return ten class names
   * @throws IOException if the file exists but does not hold ten names
   */
  public static List<String> classNames(Path meta) throws IOException {
    if (!Files.isRegularFile(meta)) {
      return CLASSES;
    }
    List<String> names =
        Files.readAllLines(meta, StandardCharsets.UTF_8).stream()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
    if (names.size() != CLASSES.size()) {
      throw new IOException(
          meta + ": expected " + CLASSES.size() + " class names, found " + names.size());
    }
    return names;
  }
}
