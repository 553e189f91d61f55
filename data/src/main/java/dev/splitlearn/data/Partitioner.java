package dev.splitlearn.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Splits a data set over clients, the data-holding parties of split learning.
 *
 * <p>Every method is deterministic for a given seed: the same data set, client count and seed
 * always give the same partition. The parts are disjoint, cover every sample exactly once, are
 * never empty, and keep each client's samples in their original order.
 */
public final class Partitioner {

  private Partitioner() {}

  /**
   * IID partition: the samples are shuffled and dealt into {@code clients} parts whose sizes differ
   * by at most one.
   *
   * @param d the data set
   * @param clients the number of clients, in {@code [1, d.size()]}
   * @param seed the shuffle seed
   * @return one data set per client
   * @throws IllegalArgumentException if {@code clients} is out of range
   */
  public static List<Dataset> iid(Dataset d, int clients, long seed) {
    checkClients(d, clients);
    int[] order = shuffled(d.size(), new Random(seed));
    List<Dataset> parts = new ArrayList<>(clients);
    int n = d.size();
    for (int c = 0; c < clients; c++) {
      int from = (int) ((long) n * c / clients);
      int to = (int) ((long) n * (c + 1) / clients);
      int[] idx = Arrays.copyOfRange(order, from, to);
      Arrays.sort(idx);
      parts.add(d.subset(idx));
    }
    return List.copyOf(parts);
  }

  /**
   * Non-IID partition over labels (Hsu, Qi and Brown 2019): for every class, client shares are
   * drawn from a symmetric Dirichlet distribution with concentration {@code alpha} and that class's
   * samples are dealt accordingly. Small {@code alpha} (e.g. 0.1) gives each client few classes;
   * large {@code alpha} (e.g. 100) approaches the IID partition. A client left empty by the draw
   * receives one sample from the largest client, so every client is non-empty.
   *
   * @param d the data set
   * @param clients the number of clients, in {@code [1, d.size()]}
   * @param alpha the Dirichlet concentration, {@code > 0} and finite
   * @param seed the seed of the draws and shuffles
   * @return one data set per client
   * @throws IllegalArgumentException if {@code clients} or {@code alpha} is out of range
   */
  public static List<Dataset> dirichlet(Dataset d, int clients, double alpha, long seed) {
    checkClients(d, clients);
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException(
          "cannot partition "
              + d.name()
              + ": Dirichlet alpha "
              + alpha
              + " must be positive and finite");
    }
    Random rng = new Random(seed);
    int[] owner = new int[d.size()];
    int[][] byClass = indicesByClass(d);
    for (int[] members : byClass) {
      shuffle(members, rng);
      double[] shares = dirichletSample(clients, alpha, rng);
      int[] counts = apportion(members.length, shares);
      int k = 0;
      for (int c = 0; c < clients; c++) {
        for (int j = 0; j < counts[c]; j++) {
          owner[members[k++]] = c;
        }
      }
    }
    fillEmptyClients(owner, clients);
    return collect(d, owner, clients);
  }

  private static void checkClients(Dataset d, int clients) {
    if (clients < 1 || clients > d.size()) {
      throw new IllegalArgumentException(
          "cannot partition " + d.size() + " samples over " + clients + " clients");
    }
  }

  private static int[][] indicesByClass(Dataset d) {
    int[] counts = d.classCounts();
    int[][] byClass = new int[counts.length][];
    for (int k = 0; k < counts.length; k++) {
      byClass[k] = new int[counts[k]];
    }
    int[] fill = new int[counts.length];
    for (int i = 0; i < d.size(); i++) {
      int l = d.label(i);
      byClass[l][fill[l]++] = i;
    }
    return byClass;
  }

  /**
   * Draws from a symmetric Dirichlet(alpha) distribution via normalised Gamma(alpha) draws,
   * computed in log space so that tiny alphas (whose Gamma draws underflow) still give a valid
   * distribution.
   */
  static double[] dirichletSample(int k, double alpha, Random rng) {
    double[] logs = new double[k];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      logs[i] = logGamma(alpha, rng);
      max = Math.max(max, logs[i]);
    }
    double[] p = new double[k];
    if (Double.isInfinite(
        max)) { // every draw underflowed even in log space: all mass on one client
      p[rng.nextInt(k)] = 1;
      return p;
    }
    double sum = 0;
    for (int i = 0; i < k; i++) {
      p[i] = Math.exp(logs[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < k; i++) {
      p[i] /= sum;
    }
    return p;
  }

  /**
   * log of a Gamma(shape, 1) draw: Marsaglia and Tsang (2000), boosted by U^(1/shape) for shape <
   * 1.
   */
  private static double logGamma(double shape, Random rng) {
    if (shape < 1) {
      double u = 1.0 - rng.nextDouble(); // in (0, 1]
      return logGamma(shape + 1, rng) + Math.log(u) / shape;
    }
    double dd = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * dd);
    while (true) {
      double x = rng.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = 1.0 - rng.nextDouble();
      if (Math.log(u) < 0.5 * x * x + dd - dd * v + dd * Math.log(v)) {
        return Math.log(dd) + Math.log(v);
      }
    }
  }

  /** Largest-remainder rounding of {@code total * shares} to integers summing to {@code total}. */
  static int[] apportion(int total, double[] shares) {
    int k = shares.length;
    int[] counts = new int[k];
    double[] rest = new double[k];
    int assigned = 0;
    for (int i = 0; i < k; i++) {
      double exact = total * shares[i];
      counts[i] = (int) Math.floor(exact);
      rest[i] = exact - counts[i];
      assigned += counts[i];
    }
    Integer[] order = new Integer[k];
    for (int i = 0; i < k; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> rest[a] != rest[b] ? Double.compare(rest[b], rest[a]) : Integer.compare(a, b));
    for (int j = 0; assigned < total; j = (j + 1) % k) {
      counts[order[j]]++;
      assigned++;
    }
    return counts;
  }

  /**
   * Gives every empty client one sample taken from the currently largest client (deterministic).
   */
  private static void fillEmptyClients(int[] owner, int clients) {
    int[] sizes = new int[clients];
    for (int o : owner) {
      sizes[o]++;
    }
    for (int c = 0; c < clients; c++) {
      if (sizes[c] > 0) {
        continue;
      }
      int donor = 0;
      for (int j = 1; j < clients; j++) {
        if (sizes[j] > sizes[donor]) {
          donor = j;
        }
      }
      for (int i = owner.length - 1; i >= 0; i--) {
        if (owner[i] == donor) {
          owner[i] = c;
          break;
        }
      }
      sizes[donor]--;
      sizes[c]++;
    }
  }

  private static List<Dataset> collect(Dataset d, int[] owner, int clients) {
    int[] sizes = new int[clients];
    for (int o : owner) {
      sizes[o]++;
    }
    int[][] idx = new int[clients][];
    for (int c = 0; c < clients; c++) {
      idx[c] = new int[sizes[c]];
    }
    int[] fill = new int[clients];
    for (int i = 0; i < owner.length; i++) {
      idx[owner[i]][fill[owner[i]]++] = i;
    }
    List<Dataset> parts = new ArrayList<>(clients);
    for (int c = 0; c < clients; c++) {
      parts.add(d.subset(idx[c]));
    }
    return List.copyOf(parts);
  }

  private static int[] shuffled(int n, Random rng) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    shuffle(a, rng);
    return a;
  }

  /** Fisher-Yates shuffle. */
  static void shuffle(int[] a, Random rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
