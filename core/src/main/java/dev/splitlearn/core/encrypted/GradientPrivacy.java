package dev.splitlearn.core.encrypted;

import java.util.Random;

/**
 * What the client does before values derived from decrypted logits reach the server in encrypted
 * training (see docs/he-threat-model.md for the attacks each setting answers).
 *
 * @param minBatch smallest batch whose layer gradient may be sent: a batch-sum gradient of one
 *     sample is that sample's activation and label ({@code a = dW_k / db_k}); shorter trailing
 *     batches are merged into the one before
 * @param clip L2 bound of each sample's contribution to the layer gradient (dW, db) before summing;
 *     0 turns clipping and noise off
 * @param noiseMultiplier Gaussian noise of standard deviation {@code noiseMultiplier * clip} added
 *     to each coordinate of the summed (dW, db): the Gaussian mechanism of DP-SGD, with an
 *     (epsilon, delta) from the privacy module's accountant; it also hides one client's update from
 *     the others, who see the shared layer change
 * @param logitNoise standard deviation of Gaussian noise added to each decrypted logit before
 *     anything is computed from it: it drowns the CKKS decryption error (about 2^-15 here) that
 *     would otherwise reach the server inside dW and db (the IND-CPA-D channel)
 */
public record GradientPrivacy(int minBatch, float clip, float noiseMultiplier, float logitNoise) {
  /** Nothing added: the protocol as published (for comparison and for exactness tests). */
  public static final GradientPrivacy NONE = new GradientPrivacy(1, 0, 0, 0);

  public GradientPrivacy {
    if (minBatch < 1) {
      throw new IllegalArgumentException("--he-min-batch must be >= 1, got " + minBatch);
    }
    if (!(clip >= 0) || Float.isInfinite(clip)) {
      throw new IllegalArgumentException("--he-dp-clip must be a finite bound >= 0, got " + clip);
    }
    if (!(noiseMultiplier >= 0) || Float.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException(
          "--he-dp-noise must be a finite multiplier >= 0, got " + noiseMultiplier);
    }
    if (noiseMultiplier > 0 && clip == 0) {
      throw new IllegalArgumentException(
          "--he-dp-noise needs --he-dp-clip > 0 (noise is scaled by the clip bound)");
    }
    if (!(logitNoise >= 0) || Float.isInfinite(logitNoise)) {
      throw new IllegalArgumentException(
          "--he-logit-noise must be a finite deviation >= 0, got " + logitNoise);
    }
  }

  /** Whether the layer gradient is clipped and noised (DP-SGD on the server layer). */
  public boolean differentiallyPrivate() {
    return clip > 0 && noiseMultiplier > 0;
  }

  /** Adds the logit noise to {@code logits} in place. */
  public void floodLogits(float[] logits, Random random) {
    if (logitNoise > 0) {
      for (int i = 0; i < logits.length; i++) {
        logits[i] += (float) (logitNoise * random.nextGaussian());
      }
    }
  }
}
