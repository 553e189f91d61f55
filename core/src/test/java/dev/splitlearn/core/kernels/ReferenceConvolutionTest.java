package dev.splitlearn.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.splitlearn.models.ConvLayer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The reference itself: a hand-computed case, and its gradients are the adjoints of its forward
 * pass.
 */
class ReferenceConvolutionTest {
  @Test
  void handComputedConv1d() {
    ConvLayer layer = ConvLayer.same("hand", 1, 1, new int[] {4}, 3);
    float[] x = {1, 2, 3, 4};
    float[] w = {1, 0, -1};
    float[] b = {0.5f};
    float[] dy = {1, 1, 1, 1};
    ConvOutputs r = ReferenceConvolution.KERNEL.run(layer, 1, x, w, b, dy);
    // y[i] = 0.5 + x[i-1] - x[i+1], zero outside
    assertArrayEquals(new float[] {-1.5f, -1.5f, -1.5f, 3.5f}, r.y());
    assertArrayEquals(new float[] {1, 0, 0, -1}, r.dx());
    assertArrayEquals(new float[] {6, 10, 9}, r.dw());
  }

  /**
   * L = sum(y * dy) is linear in x and in w, so a unit change of one input or weight changes L by
   * exactly that element's gradient: an independent check of dx and dw for any stride and padding.
   */
  @Property(tries = 40)
  void gradientsAreFiniteDifferencesOfTheForwardPass(
      @ForAll @IntRange(min = 1, max = 2) int dims,
      @ForAll @IntRange(min = 1, max = 3) int inC,
      @ForAll @IntRange(min = 1, max = 4) int outC,
      @ForAll @IntRange(min = 1, max = 4) int k,
      @ForAll @IntRange(min = 1, max = 2) int stride,
      @ForAll @IntRange(min = 0, max = 2) int pad,
      @ForAll @IntRange(min = 1, max = 2) int batch) {
    int size = 7;
    int[] in = dims == 1 ? new int[] {size} : new int[] {size, size - 1};
    int[] kk = dims == 1 ? new int[] {k} : new int[] {k, Math.max(1, k - 1)};
    int[] ss = dims == 1 ? new int[] {stride} : new int[] {stride, 1};
    int[] pp = dims == 1 ? new int[] {pad} : new int[] {pad, Math.min(pad, 1)};
    ConvLayer layer = new ConvLayer("prop", inC, outC, in, kk, ss, pp, 1, true);
    ConvData d = ConvData.random(layer, batch, 42);
    ConvOutputs r = ReferenceConvolution.KERNEL.run(layer, batch, d.x(), d.w(), d.b(), d.dy());
    double base = loss(layer, batch, d.x(), d.w(), d.b(), d.dy());
    for (int j = 0; j < d.x().length; j += 3) {
      float[] x1 = d.x().clone();
      x1[j] += 1;
      assertEquals(
          loss(layer, batch, x1, d.w(), d.b(), d.dy()) - base,
          r.dx()[j],
          1e-4,
          "dx[" + j + "] of " + layer);
    }
    for (int j = 0; j < d.w().length; j++) {
      float[] w1 = d.w().clone();
      w1[j] += 1;
      assertEquals(
          loss(layer, batch, d.x(), w1, d.b(), d.dy()) - base,
          r.dw()[j],
          1e-4,
          "dw[" + j + "] of " + layer);
    }
  }

  private static double loss(
      ConvLayer layer, int batch, float[] x, float[] w, float[] b, float[] dy) {
    ReferenceConvolution r = ReferenceConvolution.of(new ConvData(layer, batch, x, w, b, dy));
    double sum = 0;
    for (int i = 0; i < r.outputSize(); i++) {
      sum += r.y(i) * dy[i];
    }
    return sum;
  }
}
