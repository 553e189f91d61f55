package dev.splitlearn.crowd;

import java.util.Arrays;
import java.util.Random;

/** How training samples are dealt to devices, by index; deterministic for a seed. */
final class Shards {
  private Shards() {}

  /**
   * {@code devices} disjoint shards of {@code perDevice} indices from a seeded permutation of
   * {@code [0, n)}.
   */
  static int[][] iid(int n, int devices, int perDevice, long seed) {
    int[] order = permutation(n, seed);
    int[][] out = new int[devices][];
    for (int d = 0; d < devices; d++) {
      out[d] = Arrays.copyOfRange(order, d * perDevice, (d + 1) * perDevice);
    }
    return out;
  }

  /**
   * Label skew as in McMahan et al. (2017): {@code devices * perDevice} samples of a seeded
   * permutation are sorted by label, cut into {@code devices * classes} shards of {@code perDevice
   * / classes} consecutive samples (one label each, but at label boundaries), and every device gets
   * {@code classes} shards drawn at random: mostly {@code classes} labels per device.
   */
  static int[][] labelSkew(int[] labels, int devices, int perDevice, int classes, long seed) {
    int total = devices * perDevice;
    int[] order = Arrays.copyOf(permutation(labels.length, seed), total);
    Integer[] boxed = Arrays.stream(order).boxed().toArray(Integer[]::new);
    Arrays.sort(
        boxed,
        (a, b) ->
            Integer.compare(labels[a], labels[b])); // stable: keeps the shuffle within a label
    int shardSize = perDevice / classes;
    int[] shardOrder = permutation(devices * classes, seed + 1);
    int[][] out = new int[devices][perDevice];
    for (int d = 0; d < devices; d++) {
      for (int c = 0; c < classes; c++) {
        int shard = shardOrder[d * classes + c];
        for (int i = 0; i < shardSize; i++) {
          out[d][c * shardSize + i] = boxed[shard * shardSize + i];
        }
      }
    }
    return out;
  }

  private static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    Arrays.setAll(p, i -> i);
    Random r = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
