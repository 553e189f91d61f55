package dev.splitlearn.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * The contents of an IDX file of unsigned bytes (type code 0x08): its dimensions and its data,
 * row-major. MNIST image files hold {@code {count, rows, cols}}, label files {@code {count}}.
 *
 * @param dims the dimensions, each {@code >= 0}; {@code dims[0]} is the item count
 * @param data the unsigned bytes, {@code product(dims)} of them
 */
public record IdxArray(int[] dims, byte[] data) {

  /**
   * @throws IllegalArgumentException if there are no dimensions, one is negative, or the data
   *     length does not match
   */
  public IdxArray {
    Objects.requireNonNull(dims, "dims");
    Objects.requireNonNull(data, "data");
    dims = dims.clone();
    if (dims.length == 0 || dims.length > 255) {
      throw new IllegalArgumentException("IDX array needs 1 to 255 dimensions, got " + dims.length);
    }
    if (length(dims) != data.length) {
      throw new IllegalArgumentException(
          "IDX array of dims "
              + Arrays.toString(dims)
              + " needs "
              + length(dims)
              + " bytes, got "
              + data.length);
    }
  }

  /**
   * @return the number of items ({@code dims[0]})
   */
  public int count() {
    return dims[0];
  }

  /**
   * @return the number of bytes per item (product of the dimensions after the first)
   */
  public int itemLength() {
    return (int) length(Arrays.copyOfRange(dims, 1, dims.length));
  }

  /**
   * @return a copy of the dimensions
   */
  @Override
  public int[] dims() {
    return dims.clone();
  }

  /**
   * Returns the first {@code n} items.
   *
   * @param n item count in {@code [0, count()]}
   * @return a new array with {@code dims[0] = n}
   * @throws IllegalArgumentException if {@code n} is out of range
   */
  public IdxArray first(int n) {
    if (n < 0 || n > count()) {
      throw new IllegalArgumentException(
          "cannot take the first " + n + " of " + count() + " IDX items");
    }
    int[] d = dims.clone();
    d[0] = n;
    return new IdxArray(d, Arrays.copyOf(data, n * itemLength()));
  }

  /** Number of bytes that dimensions describe, or -1 if a dimension is negative. */
  static long length(int[] dims) {
    long n = 1;
    for (int d : dims) {
      if (d < 0) {
        return -1;
      }
      n *= d;
      if (n > Integer.MAX_VALUE) {
        return Long.MAX_VALUE;
      }
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdxArray a && Arrays.equals(dims, a.dims) && Arrays.equals(data, a.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "IdxArray" + Arrays.toString(dims);
  }
}
