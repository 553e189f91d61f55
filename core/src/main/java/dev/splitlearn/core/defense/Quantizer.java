package dev.splitlearn.core.defense;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Uniform quantisation of the whole batch's activations to 2^bits levels evenly spaced from the
 * tensor's minimum to its maximum (per tensor, so it depends on the batch: it comes last, after any
 * per-sample defense). The values sent are exactly the levels; the backward pass is the straight-
 * through estimator (the gradient of what was sent is applied to the unquantised activations as is).
 * On the wire the levels travel with the int8 encoding (one byte per value; 8 bits keep at most the
 * 128 levels int8 has on one side of zero), not bit-packed.
 */
public final class Quantizer implements ActivationDefense {
  private final int bits;

  /**
   * @param bits 1 .. 8
   * @throws IllegalArgumentException naming {@code --quantize}
   */
  public Quantizer(int bits) {
    if (bits < 1 || bits > 8) {
      throw new IllegalArgumentException("--quantize must be a number of bits in 1..8, got " + bits);
    }
    this.bits = bits;
  }

  /** Levels: 2^bits. */
  public int levels() {
    return 1 << bits;
  }

  @Override
  public NDArray apply(NDArray activations, NoiseStream noise) {
    float[] q = quantize(activations.toFloatArray(), levels());
    NDArray levelsArray = activations.getManager().create(q, activations.getShape());
    // exactly the levels in value (x - x is 0), the identity in the gradient
    return levelsArray.add(activations.sub(activations.stopGradient()));
  }

  /** Each value of {@code v} rounded to the nearest of {@code levels} even steps from min(v) to max(v). */
  static float[] quantize(float[] v, int levels) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float x : v) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    float[] q = new float[v.length];
    double step = ((double) hi - lo) / (levels - 1);
    if (!(step > 0) || Double.isInfinite(step)) { // constant tensor (or not finite: left to the server's check)
      System.arraycopy(v, 0, q, 0, v.length);
      return q;
    }
    for (int i = 0; i < v.length; i++) {
      long k = Math.round((v[i] - lo) / step);
      q[i] = (float) (lo + Math.min(levels - 1, Math.max(0, k)) * step);
    }
    return q;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "quantize");
    m.put("bits", bits);
    m.put("levels", levels());
    m.put("wire", "int8");
    return m;
  }
}
