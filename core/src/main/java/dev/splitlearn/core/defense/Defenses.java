package dev.splitlearn.core.defense;

import dev.splitlearn.core.protocol.ActivationEncoding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The defenses a client applies to the activations it sends (every field off by default), and the
 * seed of their noise. They compose, in this order: top-k (per sample), DP clipping and Gaussian
 * noise (per sample), additive noise, quantisation (per tensor, last: after the per-sample steps,
 * so it is post-processing of the DP release). NoPeek is separate (a loss term, not a transform).
 *
 * @param topK share of each sample's entries kept, in (0, 1], or 0 for off
 * @param dpClip C, the L2 bound of each sample's activation row, or 0 for off (then dpNoise is 0)
 * @param dpNoise z, DP noise standard deviation in units of C (&gt; 0 when dpClip is set)
 * @param dpDelta the delta at which epsilon is reported, in (0, 1)
 * @param noise additive noise, or null for none
 * @param quantizeBits bits of uniform quantisation, 1..8, or 0 for off
 * @param noiseSeed the seed of every random value the defenses draw
 * @param noiseSeedSource how the seed was chosen, for the record: {@code run} (the run's --seed),
 *     {@code secure} (SecureRandom; the seed itself is never written) or {@code explicit}
 */
public record Defenses(
    double topK,
    double dpClip,
    double dpNoise,
    double dpDelta,
    AdditiveNoise noise,
    int quantizeBits,
    long noiseSeed,
    String noiseSeedSource) {
  /** No defense. */
  public static final Defenses NONE = new Defenses(0, 0, 0, 1e-5, null, 0, 0, "run");

  /** Checks each field, naming its flag. */
  public Defenses {
    if (topK != 0) {
      new TopK(topK);
    }
    if ((dpClip == 0) != (dpNoise == 0)) {
      throw new IllegalArgumentException(
          "--dp-clip and --dp-noise go together (both > 0), got " + dpClip + " and " + dpNoise);
    }
    if (dpClip != 0) {
      new ActivationDp(dpClip, dpNoise);
    }
    if (!(dpDelta > 0 && dpDelta < 1)) {
      throw new IllegalArgumentException("--dp-delta must be in (0, 1), got " + dpDelta);
    }
    if (quantizeBits != 0) {
      new Quantizer(quantizeBits);
    }
    if (noiseSeedSource == null
        || !List.of("run", "secure", "explicit").contains(noiseSeedSource)) {
      throw new IllegalArgumentException(
          "noise seed source must be run, secure or explicit, got " + noiseSeedSource);
    }
  }

  /** Whether any defense is on. */
  public boolean active() {
    return !defenses().isEmpty();
  }

  /** Whether DP clipping and noise are on. */
  public boolean dp() {
    return dpClip > 0;
  }

  /** The DP mechanism, or null when off. */
  public ActivationDp mechanism() {
    return dp() ? new ActivationDp(dpClip, dpNoise) : null;
  }

  /** The defenses in the order they are applied. */
  public List<ActivationDefense> defenses() {
    List<ActivationDefense> out = new ArrayList<>();
    if (topK > 0) {
      out.add(new TopK(topK));
    }
    if (dp()) {
      out.add(mechanism());
    }
    if (noise != null) {
      out.add(noise);
    }
    if (quantizeBits > 0) {
      out.add(new Quantizer(quantizeBits));
    }
    return out;
  }

  /**
   * How these defenses' activations are best laid out on the wire: bit-packed at the quantiser's
   * bits (quantisation comes last, so what is sent is exactly its levels), else sparse when top-k
   * zeroes entries (the codec falls back to dense when a later defense, e.g. noise, fills them in),
   * else dense.
   */
  public ActivationEncoding activationEncoding() {
    if (quantizeBits > 0) {
      return ActivationEncoding.packed(quantizeBits);
    }
    return topK > 0 ? ActivationEncoding.SPARSE : ActivationEncoding.DENSE;
  }

  /** The chain client {@code clientId} applies. */
  public DefenseChain chain(int clientId) {
    return new DefenseChain(defenses(), noiseSeed, clientId);
  }

  /** The defenses as recorded in results.json's config (the seed's source, never a secure seed). */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("applied_by", "client, before sending; also to test-time activations");
    m.put("order", defenses().stream().map(d -> d.describe()).toList());
    m.put("wire", activationEncoding().cliName());
    m.put(
        "noise_seed",
        noiseSeedSource.equals("secure") ? "secure" : noiseSeedSource + ":" + noiseSeed);
    if (dp()) {
      m.put("dp_delta", dpDelta);
    }
    return m;
  }
}
