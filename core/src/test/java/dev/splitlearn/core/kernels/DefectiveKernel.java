package dev.splitlearn.core.kernels;

import dev.splitlearn.models.ConvLayer;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The engine's convolution with oneDNN's defect forced: while {@code active} holds, the input
 * gradient of the affected layers is computed with weight taps 1 and 2 dropped (as the weight
 * reorder on the AMD VM did), or replaced by NaN.
 */
final class DefectiveKernel implements ConvolutionKernel {
  enum Symptom {
    DROP_TAPS,
    NAN
  }

  private final ConvolutionKernel engine = new EngineConvolution();
  private final Symptom symptom;
  private final BooleanSupplier active;
  private final Predicate<ConvLayer> affected;

  DefectiveKernel(Symptom symptom, BooleanSupplier active, Predicate<ConvLayer> affected) {
    this.symptom = symptom;
    this.active = active;
    this.affected = affected;
  }

  /** oneDNN's pattern: out-channels not a multiple of 16 and a kernel wider than 1. */
  static boolean oneDnnPattern(ConvLayer l) {
    return l.outChannels() % 16 != 0 && l.kernel()[l.dims() - 1] > 1;
  }

  @Override
  public ConvOutputs run(ConvLayer layer, int batch, float[] x, float[] w, float[] b, float[] dy) {
    ConvOutputs right = engine.run(layer, batch, x, w, b, dy);
    if (!active.getAsBoolean() || !affected.test(layer)) {
      return right;
    }
    float[] dx;
    if (symptom == Symptom.NAN) {
      dx = right.dx().clone();
      dx[dx.length / 2] = Float.NaN;
    } else {
      float[] dropped = w.clone();
      int k = layer.kernel()[layer.dims() - 1];
      for (int i = 0; i < dropped.length; i++) {
        int tap = i % k;
        if (tap == 1 || tap == 2) {
          dropped[i] = 0;
        }
      }
      dx = engine.run(layer, batch, x, dropped, b, dy).dx();
    }
    return new ConvOutputs(right.y(), dx, right.dw());
  }
}
