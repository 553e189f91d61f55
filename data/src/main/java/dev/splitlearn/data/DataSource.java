package dev.splitlearn.data;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The catalogue of known data sets: the files that must be present in a data set's directory, a
 * short description of them for error messages, and where to download them.
 */
enum DataSource {
  /** MNIST (LeCun, Cortes and Burges), IDX files, raw or gzipped. */
  MNIST(
      "mnist",
      "https://ossci-datasets.s3.amazonaws.com/mnist/",
      "https://yann.lecun.com/exdb/mnist/"),
  /** Fashion-MNIST (Xiao, Rasul and Vollgraf 2017), IDX files, raw or gzipped. */
  FASHION_MNIST(
      "fashion-mnist",
      "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
      "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
  /** CIFAR-10, binary version, one archive. */
  CIFAR10("cifar10", "https://www.cs.toronto.edu/~kriz/"),
  /** MIT-BIH Arrhythmia Database 1.0.0, 48 WFDB records. */
  MITBIH("mitbih", "https://physionet.org/files/mitdb/1.0.0/");

  /** The IDX files of MNIST and Fashion-MNIST, uncompressed names. */
  static final List<String> IDX_FILES =
      List.of(
          "train-images-idx3-ubyte",
          "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte",
          "t10k-labels-idx1-ubyte");

  /** The CIFAR-10 archive name. */
  static final String CIFAR_ARCHIVE = "cifar-10-binary.tar.gz";

  private final String id;
  private final List<URI> mirrors;

  DataSource(String id, String... mirrors) {
    this.id = id;
    this.mirrors = java.util.Arrays.stream(mirrors).map(URI::create).toList();
  }

  /**
   * @return the data set name, e.g. {@code "fashion-mnist"}
   */
  String id() {
    return id;
  }

  /**
   * @param name a data set name, case-insensitive
   * @return its source
   * @throws IllegalArgumentException listing the known names if {@code name} is unknown
   */
  static DataSource forName(String name) {
    String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    for (DataSource s : values()) {
      if (s.id.equals(n)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown data set '" + name + "'; known: " + names());
  }

  /**
   * @return the known names, in catalogue order
   */
  static List<String> names() {
    return java.util.Arrays.stream(values()).map(DataSource::id).toList();
  }

  /**
   * @param dir a candidate directory for this data set
   * @return the required files missing from it (IDX files count as present raw or gzipped)
   */
  List<String> missing(Path dir) {
    List<String> missing = new ArrayList<>();
    if (this == MNIST || this == FASHION_MNIST) {
      for (String f : IDX_FILES) {
        if (IdxReader.find(dir, f) == null) {
          missing.add(f + "[.gz]");
        }
      }
      return missing;
    }
    for (String f : requiredFiles()) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        missing.add(f);
      }
    }
    return missing;
  }

  private List<String> requiredFiles() {
    List<String> files = new ArrayList<>();
    if (this == CIFAR10) {
      Cifar10.TRAIN_FILES.forEach(f -> files.add(Cifar10.FOLDER + "/" + f));
      files.add(Cifar10.FOLDER + "/" + Cifar10.TEST_FILE);
    } else if (this == MITBIH) {
      for (String r : MitBih.RECORDS) {
        files.add(r + ".hea");
        files.add(r + ".dat");
        files.add(r + ".atr");
      }
    }
    return files;
  }

  /**
   * @return a compact description of the required files, for error messages
   */
  String describeFiles() {
    return switch (this) {
      case MNIST, FASHION_MNIST -> "{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]";
      case CIFAR10 ->
          Cifar10.FOLDER
              + "/{data_batch_1..5,test_batch}.bin (extract "
              + mirrors.get(0)
              + CIFAR_ARCHIVE
              + " there)";
      case MITBIH -> "NNN.{hea,dat,atr} for the 48 records 100..234 (from " + mirrors.get(0) + ")";
    };
  }

  /**
   * @return the files to download, as names relative to the data set's directory
   */
  List<String> downloadFiles() {
    return switch (this) {
      case MNIST, FASHION_MNIST -> IDX_FILES.stream().map(f -> f + ".gz").toList();
      case CIFAR10 -> List.of(CIFAR_ARCHIVE);
      case MITBIH -> requiredFiles();
    };
  }

  /**
   * @param file a name from {@link #downloadFiles()}
   * @param mirror a base URL replacing the canonical sources, or null
   * @return the URLs to try, in order: {@code mirror/ID/file}, or the canonical mirrors
   */
  List<URI> urls(String file, URI mirror) {
    if (mirror != null) {
      String base = mirror.toString().endsWith("/") ? mirror.toString() : mirror + "/";
      return List.of(URI.create(base + id + "/" + file));
    }
    return mirrors.stream().map(m -> m.resolve(file)).toList();
  }
}
