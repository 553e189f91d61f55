package dev.splitlearn.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Convolution;
import java.util.Arrays;

/**
 * The shape facts of one convolution of a model: what a kernel self-test needs to run the same
 * computation outside the model. Arrays are per spatial axis (length 1 for Conv1d, 2 for Conv2d).
 *
 * @param where the stage it belongs to, e.g. {@code ecg-cnn/conv2}
 * @param inChannels input channels
 * @param outChannels output channels (filters)
 * @param inputSize spatial size of the input, e.g. {@code {128}} or {@code {28, 28}}
 * @param kernel kernel size per axis
 * @param stride stride per axis
 * @param padding zero padding per axis (both sides)
 * @param groups channel groups (1 for every model of the zoo)
 * @param bias whether the layer adds a bias
 */
public record ConvLayer(
    String where,
    int inChannels,
    int outChannels,
    int[] inputSize,
    int[] kernel,
    int[] stride,
    int[] padding,
    int groups,
    boolean bias) {
  public ConvLayer {
    int d = inputSize.length;
    if (d < 1 || d > 2 || kernel.length != d || stride.length != d || padding.length != d) {
      throw new IllegalArgumentException(
          "ConvLayer "
              + where
              + ": 1 or 2 spatial axes with one kernel, stride "
              + "and padding each, got input "
              + Arrays.toString(inputSize)
              + " kernel "
              + Arrays.toString(kernel));
    }
    if (inChannels < 1 || outChannels < 1 || groups != 1) {
      throw new IllegalArgumentException(
          "ConvLayer "
              + where
              + ": channels must be positive and groups 1, got "
              + inChannels
              + "->"
              + outChannels
              + " groups "
              + groups);
    }
    for (int i = 0; i < d; i++) {
      if (outputSize(inputSize[i], kernel[i], stride[i], padding[i]) < 1) {
        throw new IllegalArgumentException(
            "ConvLayer "
                + where
                + ": kernel "
                + kernel[i]
                + " does not fit input "
                + inputSize[i]
                + " with padding "
                + padding[i]);
      }
    }
    inputSize = inputSize.clone();
    kernel = kernel.clone();
    stride = stride.clone();
    padding = padding.clone();
  }

  /** A stride-1 convolution with "same" padding, as the known-bad shapes of the self-test. */
  public static ConvLayer same(
      String where, int inChannels, int outChannels, int[] inputSize, int kernel) {
    int[] k = new int[inputSize.length];
    int[] s = new int[inputSize.length];
    int[] p = new int[inputSize.length];
    Arrays.fill(k, kernel);
    Arrays.fill(s, 1);
    Arrays.fill(p, kernel / 2);
    return new ConvLayer(where, inChannels, outChannels, inputSize, k, s, p, 1, true);
  }

  /** Describes a DJL convolution block applied to {@code input} (shape with batch axis). */
  static ConvLayer of(String where, Convolution conv, Shape input) {
    int d = input.dimension() - 2;
    int[] size = new int[d];
    for (int i = 0; i < d; i++) {
      size[i] = (int) input.get(2 + i);
    }
    return new ConvLayer(
        where,
        (int) input.get(1),
        conv.getFilters(),
        size,
        ints(conv.getKernelShape()),
        ints(conv.getStride()),
        ints(conv.getPadding()),
        conv.getGroups(),
        conv.isIncludeBias());
  }

  private static int[] ints(Shape s) {
    int[] out = new int[s.dimension()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (int) s.get(i);
    }
    return out;
  }

  /** Number of spatial axes. */
  public int dims() {
    return inputSize.length;
  }

  /** Spatial size of the output along {@code axis}. */
  public int outputSize(int axis) {
    return outputSize(inputSize[axis], kernel[axis], stride[axis], padding[axis]);
  }

  private static int outputSize(int in, int k, int s, int p) {
    return (in + 2 * p - k) / s + 1;
  }

  /** The shape facts only (no {@code where}), to tell repeated layers apart from new ones. */
  public String shapeKey() {
    return "Conv"
        + dims()
        + "d("
        + inChannels
        + "->"
        + outChannels
        + ", k"
        + join(kernel)
        + ", s"
        + join(stride)
        + ", p"
        + join(padding)
        + (bias ? "" : ", no bias")
        + ") on "
        + join(inputSize);
  }

  private static String join(int[] v) {
    return Arrays.stream(v).mapToObj(Integer::toString).reduce((a, b) -> a + "x" + b).orElse("");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConvLayer c && where.equals(c.where) && shapeKey().equals(c.shapeKey());
  }

  @Override
  public int hashCode() {
    return where.hashCode() * 31 + shapeKey().hashCode();
  }

  @Override
  public String toString() {
    return where + " " + shapeKey();
  }
}
