package dev.splitlearn.core.defense;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Gaussian mechanism on the gradient the server returns in vanilla mode: each sample's row of
 * the activations' gradient (the gradient of the batch's mean loss with respect to that sample's
 * activation, all entries flattened) clipped to L2 norm C, then independent Gaussian noise of
 * standard deviation z x C added to every entry, on the server, before the reply is encoded.
 *
 * <p>What it protects. In vanilla mode the server computes the loss, so a returned row is a function
 * of the sample's activation, its label and the server's model; it carries the label (a nearest
 * class-mean direction reads it from the unprotected rows) and exposes the server's model to
 * whoever receives it. The privacy unit is one training sample, neighbouring is replacement of its
 * (activation, label) pair, so a clipped row moves by at most 2C (sensitivity 2C, noise multiplier
 * z / 2), released once per epoch (disjoint shuffled batches, no subsampling amplification), the
 * same accounting as {@link ActivationDp}. That bounds what an observer of the returned gradients
 * who does not see the labels (a link eavesdropper, a relay, the tap) learns about a sample's label.
 * It does not hide labels from the client, which sends them; and it bounds only row by row what the
 * client learns about the server's model (every row is a noisy, clipped function of the weights, but
 * the weights' dependence on other clients' data is not accounted: no end-to-end guarantee for them).
 *
 * <p>Noise comes from {@link NoiseStream} seeded per client and step from a seed the server draws
 * with SecureRandom (never recorded), or from the run's seed when asked (reproducible; whoever knows
 * the seed knows the noise).
 *
 * @param clip C, the L2 bound of each returned row, &gt; 0
 * @param noiseMultiplier z, the noise's standard deviation in units of C, &gt; 0
 * @param delta the delta at which epsilon is reported, in (0, 1)
 * @param seed the noise seed
 * @param seedSource {@code secure}, {@code run} or {@code explicit}, for the record
 */
public record GradientDp(double clip, double noiseMultiplier, double delta, long seed, String seedSource) {
  /** The noise stream purpose of returned gradients (the client's releases use 0..47). */
  static final int PURPOSE = 64;

  /** Checks each field, naming its flag. */
  public GradientDp {
    if (!(clip > 0) || Double.isInfinite(clip)) {
      throw new IllegalArgumentException("--grad-dp-clip must be a finite L2 bound > 0, got " + clip);
    }
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException("--grad-dp-noise must be a finite noise multiplier > 0, got "
          + noiseMultiplier);
    }
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("--grad-dp-delta must be in (0, 1), got " + delta);
    }
    if (seedSource == null || !List.of("run", "secure", "explicit").contains(seedSource)) {
      throw new IllegalArgumentException("--grad-dp-seed source must be run, secure or explicit, got " + seedSource);
    }
  }

  /** Standard deviation of the noise on each entry: z x C. */
  public double noiseStd() {
    return noiseMultiplier * clip;
  }

  /** L2 sensitivity of one returned row under replacement neighbouring: 2C. */
  public double sensitivity() {
    return 2 * clip;
  }

  /**
   * The protected gradient of client {@code clientId}'s step {@code step}: {@code gradient} (batch
   * on axis 0) with each row clipped to C, plus the step's noise; in the same manager. On the engine
   * thread, outside any gradient collector.
   */
  public NDArray apply(NDArray gradient, int clientId, long step) {
    NDArray clipped = ActivationDp.clip(gradient, (float) clip);
    float[] n = new NoiseStream(seed, clientId, PURPOSE, step).gaussian((int) gradient.size(), noiseStd());
    return clipped.add(gradient.getManager().create(n, gradient.getShape()));
  }

  /** As recorded in results.json (the seed's source, never a secure seed). */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("applied_by", "server, to the activations' gradient it returns (vanilla training steps)");
    m.put("clip", clip);
    m.put("noise_multiplier", noiseMultiplier);
    m.put("noise_std", noiseStd());
    m.put("privacy_unit", "one training sample (activation and label); its gradient row is returned once per epoch");
    m.put("neighbouring", "replacement");
    m.put("l2_sensitivity", sensitivity());
    m.put("delta", delta);
    m.put("noise_seed", seedSource.equals("secure") ? "secure" : seedSource + ":" + seed);
    return m;
  }
}
