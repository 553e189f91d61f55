package dev.splitlearn.core.defense;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.splitlearn.core.party.Tensors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Gaussian mechanism on each sample's activation: clip the sample's activation (its row, all
 * entries flattened) to L2 norm at most C, then add independent Gaussian noise of standard
 * deviation z x C to every entry.
 *
 * <p>What this protects, stated as precisely as it holds. Privacy unit: one training sample.
 * Released object: that sample's activation row in one step. Neighbouring data sets: one sample
 * replaced by another, so the clipped row moves by at most 2C in L2 (sensitivity 2C; it would be C
 * under add/remove neighbouring of a sum, which this is not). Each sample is released once per
 * epoch (every batch of an epoch is a disjoint slice of a shuffle, not a Poisson sample, so there
 * is no subsampling amplification), and E epochs compose E Gaussian mechanisms of noise multiplier
 * z x C / 2C = z / 2. The accountant in {@code privacy} turns that into (epsilon, delta) per epoch.
 *
 * <p>What it does not cover: the extractor that computes the rows is trained by the client on its
 * clean data, so later rows of other samples depend on this sample through the extractor's weights,
 * without noise; the guarantee is for the release of the sample's own activations given the weights
 * of the moment, not an end-to-end guarantee for the training run (that needs a frozen or
 * DP-trained extractor). Test-time releases and the server's gradients are not accounted. Noise
 * comes from a statistical generator in float32 (no defense against floating-point attacks on the
 * Gaussian sampler). The clip bound holds up to float32 rounding (relative 1e-6).
 *
 * <p>Clipping is differentiable: the gradient of {@code x min(1, C / |x|)} is propagated, the noise
 * is a constant of the graph.
 */
public final class ActivationDp implements ActivationDefense {
  private final double clip;
  private final double noiseMultiplier;

  /**
   * @param clip C, the L2 bound of a sample's activation row, &gt; 0
   * @param noiseMultiplier z, the noise's standard deviation in units of C, &gt; 0
   * @throws IllegalArgumentException naming {@code --dp-clip} or {@code --dp-noise}
   */
  public ActivationDp(double clip, double noiseMultiplier) {
    if (!(clip > 0) || Double.isInfinite(clip)) {
      throw new IllegalArgumentException("--dp-clip must be a finite L2 bound > 0, got " + clip);
    }
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException(
          "--dp-noise must be a finite noise multiplier > 0, got " + noiseMultiplier);
    }
    this.clip = clip;
    this.noiseMultiplier = noiseMultiplier;
  }

  /** C. */
  public double clip() {
    return clip;
  }

  /** z. */
  public double noiseMultiplier() {
    return noiseMultiplier;
  }

  /** L2 sensitivity of one released row under replacement neighbouring: 2C. */
  public double sensitivity() {
    return 2 * clip;
  }

  /** Standard deviation of the noise on each entry: z x C. */
  public double noiseStd() {
    return noiseMultiplier * clip;
  }

  @Override
  public NDArray apply(NDArray activations, NoiseStream noise) {
    NDArray clipped = clip(activations, (float) clip);
    float[] n = noise.gaussian((int) activations.size(), noiseStd());
    return clipped.add(activations.getManager().create(n, activations.getShape()));
  }

  /**
   * Each row of {@code a} (axis 0; the rest flattened) scaled to L2 norm at most {@code c}: rows
   * within the bound are unchanged, the others multiplied by c / norm. Differentiable.
   */
  public static NDArray clip(NDArray a, float c) {
    Shape shape = a.getShape();
    NDArray rows = a.reshape(shape.get(0), -1);
    // sqrt(sum x^2 + 1e-12) >= the norm, so the bound holds; the 1e-12 keeps the gradient of an
    // all-zero
    // row finite (the norm's own gradient there is 0/0)
    // no Java numbers in the graph (see Tensors.scalar)
    NDManager m = a.getManager();
    NDArray norms =
        rows.square().sum(new int[] {1}, true).add(Tensors.scalar(m, 1e-12f)).sqrt(); // (n, 1)
    NDArray factor =
        Tensors.scalar(m, c)
            .div(norms.clip(c, Float.MAX_VALUE)); // min(1, c / norm), no division by 0
    return rows.mul(factor).reshape(shape);
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "gaussian-dp");
    m.put("clip", clip);
    m.put("noise_multiplier", noiseMultiplier);
    m.put("noise_std", noiseStd());
    m.put("privacy_unit", "one training sample's activation row, released once per epoch");
    m.put("neighbouring", "replacement");
    m.put("l2_sensitivity", sensitivity());
    return m;
  }
}
