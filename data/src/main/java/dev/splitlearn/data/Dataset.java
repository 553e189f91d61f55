package dev.splitlearn.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * An immutable, in-memory labelled data set.
 *
 * <p>Sample {@code i} is a float vector of {@link #sampleLength()} values laid out row-major with
 * shape {@link #sampleShape()} (for example {@code {1, 28, 28}} for MNIST, {@code {3, 32, 32}} for
 * CIFAR-10, {@code {1, window}} for MIT-BIH beats); its label is an integer in {@code [0,
 * numClasses())}.
 *
 * <p>Instances are immutable and thread-safe: every accessor that returns an array returns a copy,
 * and the copy methods write into buffers the caller owns.
 */
public final class Dataset {

  private final String name;
  private final int[] shape;
  private final int sampleLength;
  private final float[] features;
  private final int[] labels;
  private final List<String> classNames;
  private volatile String sha256;

  private Dataset(
      String name,
      int[] shape,
      int sampleLength,
      float[] features,
      int[] labels,
      List<String> classNames) {
    this.name = name;
    this.shape = shape;
    this.sampleLength = sampleLength;
    this.features = features;
    this.labels = labels;
    this.classNames = classNames;
  }

  /**
   * Creates a data set from copies of the given arrays.
   *
   * @param name a short name for logs and provenance, e.g. {@code "mnist/train"}
   * @param sampleShape the shape of one sample, every dimension positive
   * @param features {@code labels.length * product(sampleShape)} values, sample after sample
   * @param labels one label per sample, each in {@code [0, classNames.size())}
   * @param classNames the class names; their count is {@link #numClasses()}
   * @return the data set
   * @throws IllegalArgumentException if the shape is empty or not positive, the features length
   *     does not match, a label is out of range, or there are no classes
   * @throws NullPointerException if any argument or class name is null
   */
  public static Dataset of(
      String name, int[] sampleShape, float[] features, int[] labels, List<String> classNames) {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(labels, "labels");
    return wrap(name, sampleShape.clone(), features.clone(), labels.clone(), classNames);
  }

  /** Like {@link #of} but takes ownership of the arrays instead of copying them (for readers). */
  static Dataset wrap(
      String name, int[] sampleShape, float[] features, int[] labels, List<String> classNames) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sampleShape, "sampleShape");
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(labels, "labels");
    List<String> classes = List.copyOf(classNames);
    if (name.isBlank()) {
      throw new IllegalArgumentException("cannot create Dataset: name is blank");
    }
    if (sampleShape.length == 0) {
      throw new IllegalArgumentException(
          "cannot create Dataset " + name + ": sample shape is empty");
    }
    long length = 1;
    for (int d : sampleShape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            "cannot create Dataset "
                + name
                + ": sample shape "
                + Arrays.toString(sampleShape)
                + " has a dimension <= 0");
      }
      length *= d;
    }
    if (classes.isEmpty()) {
      throw new IllegalArgumentException("cannot create Dataset " + name + ": no class names");
    }
    if ((long) labels.length * length != features.length) {
      throw new IllegalArgumentException(
          "cannot create Dataset "
              + name
              + ": "
              + features.length
              + " feature values, expected "
              + labels.length
              + " samples x "
              + length
              + " = "
              + (long) labels.length * length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes.size()) {
        throw new IllegalArgumentException(
            "cannot create Dataset "
                + name
                + ": label "
                + labels[i]
                + " of sample "
                + i
                + " is outside [0, "
                + classes.size()
                + ")");
      }
    }
    return new Dataset(name, sampleShape, (int) length, features, labels, classes);
  }

  /**
   * @return the name given at construction, e.g. {@code "mnist/train"}
   */
  public String name() {
    return name;
  }

  /**
   * @return the number of samples
   */
  public int size() {
    return labels.length;
  }

  /**
   * @return a copy of the shape of one sample, e.g. {@code {1, 28, 28}}
   */
  public int[] sampleShape() {
    return shape.clone();
  }

  /**
   * @return the number of float values per sample (the product of the sample shape)
   */
  public int sampleLength() {
    return sampleLength;
  }

  /**
   * @return the number of classes; labels lie in {@code [0, numClasses())}
   */
  public int numClasses() {
    return classNames.size();
  }

  /**
   * @return the class names, index = label (unmodifiable)
   */
  public List<String> classNames() {
    return classNames;
  }

  /**
   * @param i sample index in {@code [0, size())}
   * @return the label of sample {@code i}
   * @throws IndexOutOfBoundsException if {@code i} is out of range
   */
  public int label(int i) {
    Objects.checkIndex(i, labels.length);
    return labels[i];
  }

  /**
   * @return a copy of all labels, in sample order
   */
  public int[] labels() {
    return labels.clone();
  }

  /**
   * Copies sample {@code i} into {@code dst[dstOffset .. dstOffset + sampleLength())}.
   *
   * @param i sample index in {@code [0, size())}
   * @param dst destination buffer
   * @param dstOffset where to start writing
   * @throws IndexOutOfBoundsException if {@code i} is out of range or {@code dst} is too small
   */
  public void copySample(int i, float[] dst, int dstOffset) {
    Objects.checkIndex(i, labels.length);
    Objects.checkFromIndexSize(dstOffset, sampleLength, dst.length);
    System.arraycopy(features, i * sampleLength, dst, dstOffset, sampleLength);
  }

  /**
   * Copies samples {@code idx[from..to)} into a contiguous, row-major batch buffer and their
   * labels. Row {@code r} of the batch (sample {@code idx[from + r]}) starts at {@code
   * dstFeatures[r * sampleLength()]}.
   *
   * @param idx sample indices
   * @param from first position in {@code idx}, inclusive
   * @param to last position in {@code idx}, exclusive
   * @param dstFeatures at least {@code (to - from) * sampleLength()} floats
   * @param dstLabels at least {@code to - from} ints, or null to skip the labels
   * @throws IndexOutOfBoundsException if the range, an index or a buffer size is out of bounds
   */
  public void copyBatch(int[] idx, int from, int to, float[] dstFeatures, int[] dstLabels) {
    Objects.checkFromToIndex(from, to, idx.length);
    int n = to - from;
    Objects.checkFromIndexSize(0, n * sampleLength, dstFeatures.length);
    if (dstLabels != null) {
      Objects.checkFromIndexSize(0, n, dstLabels.length);
    }
    for (int r = 0; r < n; r++) {
      int i = Objects.checkIndex(idx[from + r], labels.length);
      System.arraycopy(features, i * sampleLength, dstFeatures, r * sampleLength, sampleLength);
      if (dstLabels != null) {
        dstLabels[r] = labels[i];
      }
    }
  }

  /**
   * Returns the samples at the given indices, in that order (indices may repeat). The result keeps
   * this data set's name and classes.
   *
   * @param indices sample indices, each in {@code [0, size())}
   * @return a new data set of {@code indices.length} samples
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public Dataset subset(int[] indices) {
    float[] f = new float[Math.multiplyExact(indices.length, sampleLength)];
    int[] l = new int[indices.length];
    copyBatch(indices, 0, indices.length, f, l);
    return new Dataset(name, shape, sampleLength, f, l, classNames);
  }

  /**
   * Returns the first {@code n} samples, or this data set if it has no more than {@code n}.
   *
   * @param n the maximum number of samples, {@code >= 0}
   * @return the first {@code min(n, size())} samples
   * @throws IllegalArgumentException if {@code n < 0}
   */
  public Dataset limit(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("cannot limit " + name + " to " + n + " samples");
    }
    if (n >= size()) {
      return this;
    }
    return new Dataset(
        name,
        shape,
        sampleLength,
        Arrays.copyOf(features, n * sampleLength),
        Arrays.copyOf(labels, n),
        classNames);
  }

  /**
   * Returns the same samples under another name (the arrays are shared, not copied).
   *
   * @param newName the new name
   * @return a data set equal to this one but for its name
   * @throws IllegalArgumentException if the name is blank
   */
  public Dataset withName(String newName) {
    Objects.requireNonNull(newName, "name");
    if (newName.isBlank()) {
      throw new IllegalArgumentException("cannot rename Dataset " + name + ": new name is blank");
    }
    Dataset d = new Dataset(newName, shape, sampleLength, features, labels, classNames);
    d.sha256 = sha256;
    return d;
  }

  /**
   * @return the number of samples of each class, index = label
   */
  public int[] classCounts() {
    int[] counts = new int[classNames.size()];
    for (int l : labels) {
      counts[l]++;
    }
    return counts;
  }

  /**
   * A content hash for run provenance: SHA-256 over the sample shape, the feature values (IEEE-754
   * bits) and the labels, all little-endian. The name and class names are not included. Computed
   * once and cached.
   *
   * @return 64 lower-case hex digits
   */
  public String sha256() {
    String h = sha256;
    if (h == null) {
      h = computeSha256();
      sha256 = h;
    }
    return h;
  }

  private String computeSha256() {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(shape.length);
    for (int d : shape) {
      buf.putInt(d);
    }
    buf.putInt(labels.length);
    for (float v : features) {
      if (buf.remaining() < Float.BYTES) {
        md.update(buf.array(), 0, buf.position());
        buf.clear();
      }
      buf.putFloat(v);
    }
    for (int l : labels) {
      if (buf.remaining() < Integer.BYTES) {
        md.update(buf.array(), 0, buf.position());
        buf.clear();
      }
      buf.putInt(l);
    }
    md.update(buf.array(), 0, buf.position());
    return HexFormat.of().formatHex(md.digest());
  }

  @Override
  public String toString() {
    return "Dataset["
        + name
        + ", "
        + size()
        + " x "
        + Arrays.toString(shape)
        + ", "
        + classNames.size()
        + " classes]";
  }
}
