package dev.splitlearn.core.kernels;

import dev.splitlearn.models.ConvLayer;

/**
 * Something that computes a convolution's forward pass and both gradients: the engine, or a test
 * stub.
 */
public interface ConvolutionKernel {
  /**
   * Computes y = conv(x, w) + b, dx = dL/dx and dw = dL/dw for L = sum(y * dy).
   *
   * @param layer the convolution's shape facts
   * @param batch the batch size of {@code x} and {@code dy}
   */
  ConvOutputs run(ConvLayer layer, int batch, float[] x, float[] w, float[] b, float[] dy);
}
