package dev.splitlearn.core.defense;

import ai.djl.ndarray.NDArray;
import dev.splitlearn.core.protocol.BitPacking;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Uniform quantisation of the whole batch's activations to 2^bits levels evenly spaced from the
 * tensor's minimum to its maximum (per tensor, so it depends on the batch: it comes last, after any
 * per-sample defense). The values sent are exactly the levels; the backward pass is the straight-
 * through estimator (the gradient of what was sent is applied to the unquantised activations as
 * is). On the wire the levels travel bit-packed, {@code bits} bits per value after the tensor's
 * minimum and maximum ({@link BitPacking}, which computes the levels for both, so they arrive bit
 * for bit).
 */
public final class Quantizer implements ActivationDefense {
  private final int bits;

  /**
   * @param bits 1 .. 8
   * @throws IllegalArgumentException naming {@code --quantize}
   */
  public Quantizer(int bits) {
    if (bits < 1 || bits > 8) {
      throw new IllegalArgumentException(
          "--quantize must be a number of bits in 1..8, got " + bits);
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

  /**
   * Each value of {@code v} rounded to the nearest of {@code levels} even steps from min(v) to
   * max(v).
   */
  static float[] quantize(float[] v, int levels) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float x : v) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    float[] q = new float[v.length];
    if (!(lo < hi)
        || !Float.isFinite(lo)
        || !Float.isFinite(hi)) { // constant (or not finite: the server refuses it)
      System.arraycopy(v, 0, q, 0, v.length);
      return q;
    }
    float[] level = new float[levels];
    for (int k = 0; k < levels; k++) {
      level[k] = BitPacking.level(lo, hi, levels, k);
    }
    for (int i = 0; i < v.length; i++) {
      q[i] = level[BitPacking.code(v[i], lo, hi, levels)];
    }
    return q;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "quantize");
    m.put("bits", bits);
    m.put("levels", levels());
    m.put("wire", "packed-" + bits);
    return m;
  }
}
