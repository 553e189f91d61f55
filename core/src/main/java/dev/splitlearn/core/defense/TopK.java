package dev.splitlearn.core.defense;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps each sample's largest-magnitude entries, a fraction of them, and zeroes the rest: less of
 * the sample's signal leaves the client. The result is the activations times a 0/1 mask that is a
 * constant of the graph, so the gradient flows only through the kept entries. The mask is chosen
 * per sample from that sample alone. On the wire the activations go sparse (positions and values of
 * the non-zero entries, see {@code ActivationEncoding}), so the message shrinks with the fraction
 * kept.
 */
public final class TopK implements ActivationDefense {
  private final double fraction;

  /**
   * @param fraction share of each sample's entries kept, in (0, 1]; at least one entry is kept
   * @throws IllegalArgumentException if {@code fraction} is out of range
   */
  public TopK(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("--top-k must be a fraction in (0, 1], got " + fraction);
    }
    this.fraction = fraction;
  }

  /**
   * Entries kept of a sample of {@code perSample} entries: ceil(fraction x perSample), at least 1.
   */
  public int kept(long perSample) {
    return (int) Math.max(1, Math.min(perSample, Math.ceil(fraction * perSample - 1e-9)));
  }

  @Override
  public NDArray apply(NDArray activations, NoiseStream noise) {
    long n = activations.getShape().get(0);
    if (n == 0) {
      return activations;
    }
    float[] v = activations.toFloatArray();
    int d = (int) (v.length / n);
    float[] mask = mask(v, (int) n, d, kept(d));
    return activations.mul(activations.getManager().create(mask, activations.getShape()));
  }

  /**
   * The 0/1 mask keeping, in each of {@code n} rows of {@code d} values, the {@code k} of largest
   * magnitude (ties broken by position, lowest first).
   */
  static float[] mask(float[] v, int n, int d, int k) {
    float[] mask = new float[v.length];
    float[] sorted = new float[d];
    for (int r = 0; r < n; r++) {
      int off = r * d;
      for (int i = 0; i < d; i++) {
        sorted[i] = Math.abs(v[off + i]);
      }
      Arrays.sort(sorted);
      float threshold = sorted[d - k];
      int above = 0;
      for (int i = 0; i < d; i++) {
        if (Math.abs(v[off + i]) > threshold) {
          mask[off + i] = 1;
          above++;
        }
      }
      for (int i = 0; i < d && above < k; i++) { // fill up with entries equal to the threshold
        if (Math.abs(v[off + i]) == threshold) {
          mask[off + i] = 1;
          above++;
        }
      }
    }
    return mask;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "top-k");
    m.put("fraction", fraction);
    return m;
  }
}
