package dev.splitlearn.models;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * How PrivyNet's client keeps {@code c} of the {@code C} output channels of its last pre-trained
 * block: at random (seeded by the run) or ranked. Ranked keeps the channels whose filters in the
 * block's last convolution have the largest L1 norm (the filter-pruning criterion of Li et al.
 * 2017: data-free, so a client needs only the pre-trained weights), largest first, ties by lower
 * index.
 */
public enum ChannelSelect {
  /** c channels drawn without replacement with the run's seed, kept in increasing order. */
  RANDOM("random"),
  /** the c channels of largest filter L1 norm, in rank order. */
  RANKED("ranked");

  private final String cliName;

  ChannelSelect(String cliName) {
    this.cliName = cliName;
  }

  /** The name on the command line and in results files. */
  public String cliName() {
    return cliName;
  }

  /**
   * Parses {@code random} or {@code ranked}.
   *
   * @throws IllegalArgumentException naming {@code --channel-select}
   */
  public static ChannelSelect parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (ChannelSelect s : values()) {
      if (s.cliName.equals(n)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "--channel-select must be random or ranked, got '" + name + "'");
  }

  /**
   * {@code c} distinct channels of {@code total}, drawn with {@code seed} (a partial Fisher-Yates
   * shuffle of {@link Random}), in increasing order: the same seed gives the same channels.
   */
  public static int[] random(int c, int total, long seed) {
    check(c, total);
    int[] all = IntStream.range(0, total).toArray();
    Random rnd = new Random(seed ^ 0x5E1EC7C4A77E15L);
    for (int i = 0; i < c; i++) {
      int j = i + rnd.nextInt(total - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] out = Arrays.copyOf(all, c);
    Arrays.sort(out);
    return out;
  }

  /**
   * The {@code c} channels whose filters have the largest L1 norm, largest first, ties broken by
   * the lower index (so the order is deterministic).
   *
   * @param weights a convolution's weights, row-major, filters on the first axis
   * @param shape their shape, {@code (C, in, k...)}
   */
  public static int[] ranked(int c, float[] weights, long[] shape) {
    int total = (int) shape[0];
    check(c, total);
    int per = weights.length / total;
    double[] l1 = new double[total];
    for (int f = 0; f < total; f++) {
      for (int i = 0; i < per; i++) {
        l1[f] += Math.abs(weights[f * per + i]);
      }
    }
    return IntStream.range(0, total)
        .boxed()
        .sorted(Comparator.<Integer>comparingDouble(f -> -l1[f]).thenComparingInt(f -> f))
        .limit(c)
        .mapToInt(Integer::intValue)
        .toArray();
  }

  private static void check(int c, int total) {
    if (c < 1 || c > total) {
      throw new IllegalArgumentException("--channels must be in 1.." + total + ", got " + c);
    }
  }
}
