package dev.splitlearn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and loads data sets by name. Search order: {@link DataOptions#dataDir()}, then
 * {@code $SPLITLEARN_DATA}, then the per-user cache; each root holds {@code ROOT/NAME/...} in the
 * original file layout.
 */
public final class DataSets {
  /** Data set names this build knows. */
  public static final List<String> NAMES = List.of("mnist", "fashion-mnist", "cifar10", "mitbih");

  private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
  private static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
  private static final String[] IDX_FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
      "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

  /** Where users with a network get each data set. */
  private static final java.util.Map<String, String> SOURCES = java.util.Map.of(
      "mnist", "https://ossci-datasets.s3.amazonaws.com/mnist/",
      "fashion-mnist", "https://github.com/zalandoresearch/fashion-mnist (data/fashion)",
      "cifar10", "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz (extract it there)",
      "mitbih", "https://physionet.org/content/mitdb/1.0.0/");

  private DataSets() {}

  /**
   * Loads the named data set.
   *
   * @throws IllegalArgumentException for an unknown name
   * @throws IOException if the files are missing (the message lists where it looked) or corrupt
   */
  public static TrainTest load(String name, DataOptions options) throws IOException {
    switch (name) {
      case "mnist":
        return idx(name, DIGITS, options);
      case "fashion-mnist":
        return idx(name, FASHION, options);
      case "mitbih":
        return MitBih.load(locate(name, options, new String[] {"100.hea", "100.dat", "100.atr"}), options);
      case "cifar10":
        List<String> files = new ArrayList<>();
        Cifar10.TRAIN_FILES.forEach(f -> files.add(Cifar10.FOLDER + "/" + f));
        files.add(Cifar10.FOLDER + "/" + Cifar10.TEST_FILE);
        return Cifar10.load(locate(name, options, files.toArray(String[]::new)));
      default:
        throw new IllegalArgumentException("unknown data set '" + name + "'; known: " + NAMES);
    }
  }

  private static TrainTest idx(String name, List<String> classes, DataOptions options) throws IOException {
    Path dir = locate(name, options, IDX_FILES);
    Dataset train = IdxReader.readDataset(name, IdxReader.find(dir, IDX_FILES[0]),
        IdxReader.find(dir, IDX_FILES[1]), classes);
    Dataset test = IdxReader.readDataset(name, IdxReader.find(dir, IDX_FILES[2]),
        IdxReader.find(dir, IDX_FILES[3]), classes);
    return new TrainTest(train, test);
  }

  /** Candidate roots in search order. */
  static List<Path> roots(DataOptions options) {
    List<Path> roots = new ArrayList<>();
    options.dataDir().ifPresent(roots::add);
    String env = System.getenv("SPLITLEARN_DATA");
    if (env != null && !env.isBlank()) {
      roots.add(Path.of(env));
    }
    roots.add(options.cacheDir().orElseGet(DataSets::defaultCache));
    return roots;
  }

  static Path defaultCache() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("splitlearn").resolve("data");
  }

  private static Path locate(String name, DataOptions options, String[] files) throws IOException {
    List<Path> tried = new ArrayList<>();
    for (Path root : roots(options)) {
      Path dir = root.resolve(name);
      tried.add(dir);
      boolean all = Files.isDirectory(dir);
      for (String f : files) {
        all &= IdxReader.find(dir, f) != null || Files.isRegularFile(dir.resolve(f));
      }
      if (all) {
        return dir;
      }
    }
    String source = SOURCES.getOrDefault(name, "");
    throw new IOException(name + ": not found in " + tried + "; put " + String.join(", ", files)
        + " under one of them or pass --data-dir (automatic download is not built yet; get the files from "
        + source + ")");
  }
}
