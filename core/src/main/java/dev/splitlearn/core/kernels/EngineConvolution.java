package dev.splitlearn.core.kernels;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import dev.splitlearn.models.ConvLayer;

/**
 * The engine's convolution (libtorch, through DJL), as the model layers call it: forward, then
 * backward of sum(y * dy) inside a gradient collector. Opens the JVM's one gradient collector, so
 * it runs on the {@link EngineThread}.
 */
public final class EngineConvolution implements ConvolutionKernel {
  @Override
  public ConvOutputs run(ConvLayer layer, int batch, float[] x, float[] w, float[] b, float[] dy) {
    return EngineThread.call(() -> compute(layer, batch, x, w, b, dy));
  }

  private static ConvOutputs compute(
      ConvLayer layer, int batch, float[] x, float[] w, float[] b, float[] dy) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray xs = m.create(x, shape(batch, layer.inChannels(), layer.inputSize()));
      NDArray ws = m.create(w, shape(layer.outChannels(), layer.inChannels(), layer.kernel()));
      NDArray bs = m.create(b, new Shape(layer.outChannels()));
      xs.setRequiresGradient(true);
      ws.setRequiresGradient(true);
      float[] y;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        Shape stride = new Shape(longs(layer.stride()));
        Shape padding = new Shape(longs(layer.padding()));
        Shape dilation = new Shape(ones(layer.dims()));
        NDArray out =
            (layer.dims() == 1
                    ? Conv1d.conv1d(xs, ws, bs, stride, padding, dilation, layer.groups())
                    : Conv2d.conv2d(xs, ws, bs, stride, padding, dilation, layer.groups()))
                .singletonOrThrow();
        y = out.toFloatArray();
        gc.backward(out.mul(m.create(dy, out.getShape())).sum());
      }
      return new ConvOutputs(y, xs.getGradient().toFloatArray(), ws.getGradient().toFloatArray());
    }
  }

  private static Shape shape(int first, int second, int[] rest) {
    long[] dims = new long[2 + rest.length];
    dims[0] = first;
    dims[1] = second;
    for (int i = 0; i < rest.length; i++) {
      dims[2 + i] = rest[i];
    }
    return new Shape(dims);
  }

  private static long[] longs(int[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  private static long[] ones(int n) {
    long[] out = new long[n];
    java.util.Arrays.fill(out, 1);
    return out;
  }
}
