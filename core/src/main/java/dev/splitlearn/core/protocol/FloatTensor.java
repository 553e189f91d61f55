package dev.splitlearn.core.protocol;

import java.util.Arrays;

/**
 * A dense float32 tensor as it crosses the cut: a shape (batch axis first) and row-major data.
 * The arrays are owned by the tensor once passed in; treat them as read-only.
 *
 * @param shape dimensions, each &gt;= 0, at most {@link #MAX_RANK}
 * @param data row-major values; {@code data.length} equals the product of {@code shape}
 */
public record FloatTensor(long[] shape, float[] data) {
  /** Largest rank accepted on the wire. */
  public static final int MAX_RANK = 8;

  public FloatTensor {
    if (shape.length == 0 || shape.length > MAX_RANK) {
      throw new IllegalArgumentException("tensor rank must be 1.." + MAX_RANK + ", got " + shape.length);
    }
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative tensor dimension in " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "tensor shape " + Arrays.toString(shape) + " holds " + n + " values, data has " + data.length);
    }
  }

  /** Number of values. */
  public int size() {
    return data.length;
  }

  /** Size of the first (batch) axis. */
  public long batch() {
    return shape[0];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}
