package dev.splitlearn.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds and loads data sets by name: {@code "mnist"}, {@code "fashion-mnist"}, {@code "cifar10"},
 * {@code "mitbih"}. Where the files are looked for, and when they are downloaded, is described in
 * {@link DataLocator}.
 *
 * <ul>
 *   <li>{@code mnist}, {@code fashion-mnist}: 60,000 + 10,000 images, shape {@code {1, 28, 28}} in
 *       [0, 1], 10 classes; see {@link IdxReader}.
 *   <li>{@code cifar10}: 50,000 + 10,000 images, shape {@code {3, 32, 32}} channel-major in [0, 1],
 *       10 classes; see {@link Cifar10}.
 *   <li>{@code mitbih}: heartbeats, shape {@code {1, window}}, 5 AAMI classes, split as the options
 *       say; see {@link MitBih}.
 * </ul>
 *
 * Data sets are named {@code NAME/train} and {@code NAME/test}.
 */
public final class DataSets {

  /** The data set names this build knows, in catalogue order. */
  public static final List<String> NAMES = DataSource.names();

  /** MNIST class names: the digits. */
  public static final List<String> DIGITS =
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  /** Fashion-MNIST class names. */
  public static final List<String> FASHION =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  private DataSets() {}

  /**
   * Finds (downloading if allowed) and loads the named data set.
   *
   * @param name a data set name (case-insensitive), one of {@link #NAMES}
   * @param options where to look, download policy, MIT-BIH knobs
   * @return its training and test sets
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   * @throws IOException if the files are missing (the message lists where it looked and what to put
   *     where) or malformed (the message names the file)
   */
  public static TrainTest load(String name, DataOptions options) throws IOException {
    DataSource source = DataSource.forName(name);
    Path dir = DataLocator.locate(source, options, System.getenv());
    return switch (source) {
      case MNIST -> loadIdx(dir, "mnist", DIGITS);
      case FASHION_MNIST -> loadIdx(dir, "fashion-mnist", FASHION);
      case CIFAR10 -> Cifar10.load(dir);
      case MITBIH -> MitBih.load(dir, options);
    };
  }

  /**
   * The shape of one sample of a data set and its number of classes, without reading it: what a
   * server needs to build the model while the data stays with the clients.
   *
   * @param name a known data set name
   * @param options the MIT-BIH beat window
   * @return {@code {classes, shape...}}
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static int[] shapeAndClasses(String name, DataOptions options) {
    return switch (DataSource.forName(name)) {
      case MNIST -> new int[] {DIGITS.size(), 1, 28, 28};
      case FASHION_MNIST -> new int[] {FASHION.size(), 1, 28, 28};
      case CIFAR10 -> new int[] {10, 3, 32, 32};
      case MITBIH -> new int[] {AamiClass.values().length, 1, options.beatWindow()};
    };
  }

  /**
   * Loads an MNIST-style directory: {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte}, each raw
   * or {@code .gz}.
   *
   * @param dir the directory
   * @param name the data set name prefix
   * @param classNames the class names
   * @return train and test, named {@code name/train} and {@code name/test}
   * @throws IOException if a file is missing or malformed
   */
  public static TrainTest loadIdx(Path dir, String name, List<String> classNames)
      throws IOException {
    Path[] f = new Path[4];
    for (int i = 0; i < 4; i++) {
      String base = DataSource.IDX_FILES.get(i);
      f[i] = IdxReader.find(dir, base);
      if (f[i] == null) {
        throw new java.nio.file.NoSuchFileException(
            dir.resolve(base).toString(), null, "missing (nor " + base + ".gz)");
      }
    }
    return new TrainTest(
        IdxReader.readDataset(name + "/train", f[0], f[1], classNames),
        IdxReader.readDataset(name + "/test", f[2], f[3], classNames));
  }
}
