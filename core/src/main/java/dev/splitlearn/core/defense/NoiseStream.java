package dev.splitlearn.core.defense;

import java.util.SplittableRandom;

/**
 * The random values of one release: a {@link SplittableRandom} seeded from the run's noise seed,
 * the client, the purpose of the release and its index, so a release's noise depends on nothing
 * else (not on how many values earlier releases drew) and the same seed gives the same noise.
 * SplittableRandom is a fast statistical generator, not a cryptographic one: whoever knows the seed
 * knows the noise, which is why the seed must stay with the client (or come from SecureRandom).
 */
public final class NoiseStream {
  private final SplittableRandom random;

  /** The stream of release {@code index} of {@code purpose} by client {@code clientId}. */
  public NoiseStream(long seed, int clientId, int purpose, long index) {
    long s = mix(seed ^ 0x9E3779B97F4A7C15L);
    s = mix(s ^ clientId);
    s = mix(s ^ ((long) purpose << 56));
    this.random = new SplittableRandom(mix(s ^ index));
  }

  /** {@code n} independent normal values of mean 0 and standard deviation {@code std}. */
  public float[] gaussian(int n, double std) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (std * random.nextGaussian());
    }
    return out;
  }

  /**
   * {@code n} independent Laplace values of location 0 and scale {@code b} (variance 2 b^2), by
   * inversion of the distribution function.
   */
  public float[] laplace(int n, double b) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      double u;
      do {
        u = random.nextDouble() - 0.5;
      } while (u == -0.5); // u in (-0.5, 0.5): the tail below is in (0, 1], its log finite
      out[i] = (float) (-b * Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
    }
    return out;
  }

  /** SplitMix64's finaliser: spreads every input bit over the output. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
