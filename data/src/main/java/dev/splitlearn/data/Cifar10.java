package dev.splitlearn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10, binary version: {@code cifar-10-batches-bin/data_batch_1..5.bin} and
 * {@code test_batch.bin}, each a sequence of records of 1 label byte and 3,072 pixel bytes
 * (1,024 red, 1,024 green, 1,024 blue, row-major). Pixels become floats in [0, 1], shape 3x32x32.
 */
public final class Cifar10 {
  /** Bytes per record. */
  public static final int RECORD = 1 + 3 * 32 * 32;
  /** Folder inside the data set's directory, as in the official archive. */
  public static final String FOLDER = "cifar-10-batches-bin";
  /** Class names when {@code batches.meta.txt} is absent. */
  public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer",
      "dog", "frog", "horse", "ship", "truck");
  /** Training batch files, then the test file. */
  public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
      "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
  /** The test batch file. */
  public static final String TEST_FILE = "test_batch.bin";

  private Cifar10() {}

  /** Loads the five training batches and the test batch from {@code dir/cifar-10-batches-bin}. */
  public static TrainTest load(Path dir) throws IOException {
    Path bin = dir.resolve(FOLDER);
    List<Path> train = new ArrayList<>();
    for (String f : TRAIN_FILES) {
      train.add(bin.resolve(f));
    }
    List<String> names = classNames(bin.resolve("batches.meta.txt"));
    return new TrainTest(read(train, names), read(List.of(bin.resolve(TEST_FILE)), names));
  }

  /**
   * Reads and concatenates batch files.
   *
   * @throws IOException naming the file if it is missing, its length is not a multiple of 3,073,
   *     or a label is not below 10
   */
  public static Dataset read(List<Path> files, List<String> classNames) throws IOException {
    List<byte[]> contents = new ArrayList<>();
    int records = 0;
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new IOException(f + ": missing");
      }
      byte[] b = Files.readAllBytes(f);
      if (b.length == 0 || b.length % RECORD != 0) {
        throw new IOException(f + ": length " + b.length + " is not a multiple of the " + RECORD
            + "-byte CIFAR-10 record (truncated or not a CIFAR-10 binary batch)");
      }
      contents.add(b);
      records += b.length / RECORD;
    }
    float[] x = new float[records * (RECORD - 1)];
    int[] y = new int[records];
    int r = 0;
    for (int k = 0; k < contents.size(); k++) {
      byte[] b = contents.get(k);
      for (int off = 0; off < b.length; off += RECORD, r++) {
        y[r] = b[off] & 0xFF;
        if (y[r] >= classNames.size()) {
          throw new IOException(files.get(k) + ": record " + off / RECORD + " has label " + y[r]
              + ", expected 0.." + (classNames.size() - 1));
        }
        int base = r * (RECORD - 1);
        for (int i = 1; i < RECORD; i++) {
          x[base + i - 1] = (b[off + i] & 0xFF) / 255f;
        }
      }
    }
    return Dataset.of("cifar10", new int[] {3, 32, 32}, x, y, classNames);
  }

  private static List<String> classNames(Path meta) throws IOException {
    if (!Files.isRegularFile(meta)) {
      return CLASSES;
    }
    List<String> names = Files.readAllLines(meta).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (names.size() != 10) {
      throw new IOException(meta + ": expected 10 class names, found " + names.size());
    }
    return names;
  }
}
