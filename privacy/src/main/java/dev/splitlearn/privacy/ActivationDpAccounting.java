package dev.splitlearn.privacy;

/**
 * (epsilon, delta) of the client's DP defense on activations after each epoch. The mechanism: each
 * sample's activation row clipped to L2 norm C, plus Gaussian noise of standard deviation z x C per
 * entry, released once per epoch. Under replacement neighbouring the L2 sensitivity of a clipped
 * row is 2C, so one release is a Gaussian mechanism of noise multiplier z C / 2C = z / 2, with RDP
 * alpha (2C)^2 / (2 (z C)^2) = 2 alpha / z^2 at order alpha. Batches are a shuffle's disjoint
 * slices, not Poisson samples, so there is no subsampling amplification: sample rate 1, and E
 * epochs compose E releases (RDP 2 E alpha / z^2), converted by {@link RdpAccountant}.
 *
 * <p>The figure covers the release of each training sample's own activations given the extractor's
 * weights; see {@code dev.splitlearn.core.defense.ActivationDp} for what it does not cover.
 */
public final class ActivationDpAccounting {
  private ActivationDpAccounting() {}

  /** Noise multiplier of one release in units of its sensitivity 2C: z / 2. */
  public static double effectiveNoiseMultiplier(double z) {
    return z / 2;
  }

  /**
   * Epsilon at {@code delta} after {@code epochs} epochs.
   *
   * @throws IllegalArgumentException if z is not &gt; 0, delta not in (0, 1) or epochs &lt; 0
   */
  public static double epsilon(double z, double delta, int epochs) {
    if (!(z > 0) || Double.isInfinite(z)) {
      throw new IllegalArgumentException(
          "--dp-noise must be a finite noise multiplier > 0, got " + z);
    }
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
    }
    return RdpAccountant.epsilonOfReleases(effectiveNoiseMultiplier(z), epochs, delta);
  }

  /** Epsilon at {@code delta} after each epoch 1 .. {@code epochs}. */
  public static double[] epsilonPerEpoch(double z, double delta, int epochs) {
    double[] out = new double[epochs];
    for (int e = 1; e <= epochs; e++) {
      out[e - 1] = epsilon(z, delta, e);
    }
    return out;
  }
}
