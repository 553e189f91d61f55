package dev.splitlearn.core.defense;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Gaussian mechanism on the gradient that carries the labels across the cut: each sample's row
 * (the gradient of the batch's mean loss with respect to that sample's tensor, all entries
 * flattened) clipped to L2 norm C, then independent Gaussian noise of standard deviation z x C
 * added to every entry, before the message is encoded. In vanilla mode the server applies it to the
 * activations' gradient it returns; in U-shaped mode the client applies it to the cloud output's
 * gradient it sends, which otherwise gives the labels to the server (a nearest class-mean direction
 * reads them all).
 *
 * <p>What it protects. A row is a function of the sample's tensor, its label and the model of the
 * party that computed the loss. In vanilla mode (server side) the returned rows carry the labels to
 * whoever reads the link without them (a link eavesdropper, a relay, the tap) and expose the
 * server's model row by row to the client; in U-shaped mode (client side) the server itself reads
 * the rows, and the mechanism is what keeps the labels on the client. The privacy unit is one
 * training sample, neighbouring is replacement of its (tensor, label) pair, so a clipped row moves
 * by at most 2C (sensitivity 2C, noise multiplier z / 2), released once per epoch (disjoint
 * shuffled batches, no subsampling amplification), the same accounting as {@link ActivationDp}. It
 * does not account for the models' dependence on other clients' data (no end-to-end guarantee for
 * them), and in U-shaped mode the activations the client sends are a separate release (see the
 * activation defenses).
 *
 * <p>Noise comes from {@link NoiseStream} seeded per client and step from a seed the applying party
 * draws with SecureRandom (never recorded), or from the run's seed when asked (reproducible;
 * whoever knows the seed knows the noise).
 *
 * @param clip C, the L2 bound of each returned row, &gt; 0
 * @param noiseMultiplier z, the noise's standard deviation in units of C, &gt; 0
 * @param delta the delta at which epsilon is reported, in (0, 1)
 * @param seed the noise seed
 * @param seedSource {@code secure}, {@code run} or {@code explicit}, for the record
 */
public record GradientDp(
    double clip, double noiseMultiplier, double delta, long seed, String seedSource) {
  /** The noise stream purpose of returned gradients (the client's releases use 0..47). */
  static final int PURPOSE = 64;

  /** Checks each field, naming its flag. */
  public GradientDp {
    if (!(clip > 0) || Double.isInfinite(clip)) {
      throw new IllegalArgumentException(
          "--grad-dp-clip must be a finite L2 bound > 0, got " + clip);
    }
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException(
          "--grad-dp-noise must be a finite noise multiplier > 0, got " + noiseMultiplier);
    }
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("--grad-dp-delta must be in (0, 1), got " + delta);
    }
    if (seedSource == null || !List.of("run", "secure", "explicit").contains(seedSource)) {
      throw new IllegalArgumentException(
          "--grad-dp-seed source must be run, secure or explicit, got " + seedSource);
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
   * on axis 0) with each row clipped to C, plus the step's noise; in the same manager. On the
   * engine thread, outside any gradient collector.
   */
  public NDArray apply(NDArray gradient, int clientId, long step) {
    NDArray clipped = ActivationDp.clip(gradient, (float) clip);
    float[] n =
        new NoiseStream(seed, clientId, PURPOSE, step).gaussian((int) gradient.size(), noiseStd());
    return clipped.add(gradient.getManager().create(n, gradient.getShape()));
  }

  /**
   * As recorded in results.json (the seed's source, never a secure seed); {@code sentByClient}: the
   * U-shaped client's mechanism rather than the vanilla server's.
   */
  public Map<String, Object> describe(boolean sentByClient) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "applied_by",
        sentByClient
            ? "client, to the cloud output's gradient it sends (u-shaped training steps)"
            : "server, to the activations' gradient it returns (vanilla training steps)");
    m.put("clip", clip);
    m.put("noise_multiplier", noiseMultiplier);
    m.put("noise_std", noiseStd());
    m.put(
        "privacy_unit",
        "one training sample (activation and label); its gradient row crosses once per epoch");
    m.put("neighbouring", "replacement");
    m.put("l2_sensitivity", sensitivity());
    m.put("delta", delta);
    m.put("noise_seed", seedSource.equals("secure") ? "secure" : seedSource + ":" + seed);
    return m;
  }
}
