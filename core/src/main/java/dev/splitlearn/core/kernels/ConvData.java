package dev.splitlearn.core.kernels;

import dev.splitlearn.models.ConvLayer;
import java.util.SplittableRandom;

/**
 * Seeded inputs of one convolution and the upstream gradient, row-major: x (batch, in, spatial...),
 * w (out, in, kernel...), b (out), dy (batch, out, output spatial...). Values are uniform in [-1,
 * 1).
 */
record ConvData(ConvLayer layer, int batch, float[] x, float[] w, float[] b, float[] dy) {

  static ConvData random(ConvLayer layer, int batch, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    return new ConvData(
        layer,
        batch,
        uniform(r, batch * layer.inChannels() * spatial(layer.inputSize())),
        uniform(r, layer.outChannels() * layer.inChannels() * spatial(layer.kernel())),
        uniform(r, layer.outChannels()),
        uniform(r, batch * layer.outChannels() * outputSpatial(layer)));
  }

  static int spatial(int[] size) {
    int n = 1;
    for (int s : size) {
      n *= s;
    }
    return n;
  }

  static int outputSpatial(ConvLayer layer) {
    int n = 1;
    for (int axis = 0; axis < layer.dims(); axis++) {
      n *= layer.outputSize(axis);
    }
    return n;
  }

  private static float[] uniform(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (2 * r.nextDouble() - 1);
    }
    return v;
  }
}
