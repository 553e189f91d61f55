package dev.splitlearn.core.train;

import ai.djl.ndarray.types.Shape;
import dev.splitlearn.data.Dataset;
import java.util.Random;

/**
 * Seeded mini-batch order over a data set: a fresh permutation per epoch from (seed, epoch,
 * stream), so a run and a resumed run see the same batches. Reuses one buffer per batch size.
 */
public final class Batches {
  private final Dataset data;
  private final int batchSize;
  private final int[] order;
  private final float[] features;
  private final int[] labels;
  private final long[] sampleShape;
  private final Augmentation augmentation;
  private final int count;
  private final float[] scratch;
  private long augmentSeed;

  /** Batches of {@code data}, no augmentation. */
  public Batches(Dataset data, int batchSize) {
    this(data, batchSize, Augmentation.NONE);
  }

  /** Batches of {@code data}, each augmented as {@code augmentation} says. */
  public Batches(Dataset data, int batchSize, Augmentation augmentation) {
    this(data, batchSize, augmentation, 1);
  }

  /**
   * As above, no batch smaller than {@code minBatch}: a shorter trailing batch is merged into the
   * one before it (which then holds up to {@code batchSize + minBatch - 1} samples).
   *
   * @throws IllegalArgumentException if the batch size or the whole data set is below {@code
   *     minBatch}
   */
  public Batches(Dataset data, int batchSize, Augmentation augmentation, int minBatch) {
    if (batchSize < minBatch || data.size() < minBatch) {
      throw new IllegalArgumentException(
          "batches of "
              + batchSize
              + " from "
              + data.size()
              + " samples ("
              + data.name()
              + "): both must be at least the minimum batch of "
              + minBatch);
    }
    int full = data.size() / batchSize;
    int rest = data.size() % batchSize;
    this.count = rest == 0 ? full : rest >= minBatch || full == 0 ? full + 1 : full;
    int largest = count == full && rest > 0 ? batchSize + rest : batchSize;
    this.data = data;
    this.augmentation = augmentation;
    this.scratch = augmentation.enabled() ? new float[data.sampleLength()] : null;
    this.batchSize = batchSize;
    this.order = new int[data.size()];
    this.features = new float[largest * data.sampleLength()];
    this.labels = new int[largest];
    int[] s = data.sampleShape();
    this.sampleShape = new long[s.length];
    for (int i = 0; i < s.length; i++) {
      sampleShape[i] = s[i];
    }
  }

  /** Number of batches per epoch (the last may be short). */
  public int count() {
    return count;
  }

  /** Shuffles for {@code epoch}; {@code stream} separates clients. */
  public void shuffle(long seed, int epoch, int stream) {
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random r = new Random(seed * 0x9E3779B97F4A7C15L + epoch * 1_000_003L + stream);
    augmentSeed = r.nextLong();
    for (int i = order.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  /** Keeps the natural order (evaluation). */
  public void inOrder() {
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
  }

  /**
   * Fills batch {@code b}; returns its size. Features and labels are in {@link #features}/{@link
   * #labels}.
   */
  public int load(int b) {
    int from = b * batchSize;
    int to = b == count - 1 ? order.length : from + batchSize;
    data.copyBatch(order, from, to, features, labels);
    if (augmentation.enabled()) {
      augmentation.apply(features, to - from, sampleShape, new Random(augmentSeed + b), scratch);
    }
    return to - from;
  }

  /** The loaded batch's features, row-major, for a batch of {@code n}. */
  public float[] features(int n) {
    return n * data.sampleLength() == features.length
        ? features
        : java.util.Arrays.copyOf(features, n * data.sampleLength());
  }

  /** The loaded batch's labels. */
  public int[] labels(int n) {
    return n == labels.length ? labels : java.util.Arrays.copyOf(labels, n);
  }

  /** The shape of a batch of {@code n}. */
  public Shape shape(int n) {
    return new Shape(n).addAll(new Shape(sampleShape));
  }
}
