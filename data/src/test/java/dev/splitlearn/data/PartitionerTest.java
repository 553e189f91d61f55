package dev.splitlearn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PartitionerTest {
  /** A data set whose single feature is the sample's index, so partitions can be traced back. */
  static Dataset indexed(int n, int classes) {
    float[] x = new float[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
      y[i] = i % classes;
    }
    return Dataset.of(
        "indexed",
        new int[] {1},
        x,
        y,
        java.util.stream.IntStream.range(0, classes).mapToObj(Integer::toString).toList());
  }

  private static Set<Integer> members(Dataset d) {
    Set<Integer> s = new HashSet<>();
    float[] one = new float[1];
    for (int i = 0; i < d.size(); i++) {
      d.copySample(i, one, 0);
      s.add((int) one[0]);
    }
    return s;
  }

  @Property(tries = 40)
  void partitionsAreDisjointAndComplete(
      @ForAll @IntRange(min = 1, max = 300) int n,
      @ForAll @IntRange(min = 1, max = 12) int clients,
      @ForAll boolean dirichlet) {
    if (clients > n) {
      return;
    }
    Dataset d = indexed(n, 5);
    List<Dataset> parts =
        dirichlet ? Partitioner.dirichlet(d, clients, 0.3, 7) : Partitioner.iid(d, clients, 7);
    assertEquals(clients, parts.size());
    Set<Integer> seen = new HashSet<>();
    for (Dataset p : parts) {
      assertTrue(p.size() > 0, "every client gets data");
      for (int i : members(p)) {
        assertTrue(seen.add(i), "sample " + i + " in two partitions");
      }
    }
    assertEquals(n, seen.size());
  }

  @Test
  void seededAndSeedSensitive() {
    Dataset d = indexed(1000, 10);
    assertEquals(
        members(Partitioner.iid(d, 4, 1).get(0)), members(Partitioner.iid(d, 4, 1).get(0)));
    assertNotEquals(
        members(Partitioner.iid(d, 4, 1).get(0)), members(Partitioner.iid(d, 4, 2).get(0)));
  }

  @Test
  void smallAlphaConcentratesLabels() {
    Dataset d = indexed(5000, 10);
    double skewed = meanTopClassShare(Partitioner.dirichlet(d, 5, 0.05, 3));
    double mixed = meanTopClassShare(Partitioner.dirichlet(d, 5, 100, 3));
    assertTrue(skewed > 0.5, "alpha 0.05: top class share " + skewed);
    assertTrue(mixed < 0.2, "alpha 100: top class share " + mixed);
  }

  private static double meanTopClassShare(List<Dataset> parts) {
    return parts.stream()
        .mapToDouble(p -> Arrays.stream(p.classCounts()).max().getAsInt() / (double) p.size())
        .average()
        .orElse(0);
  }

  @Test
  void moreClientsThanSamplesIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Partitioner.iid(indexed(10, 2), 11, 1));
    assertTrue(e.getMessage().contains("10 samples over 11 clients"), e.getMessage());
  }

  @Test
  void iidSizesDifferByAtMostOneAndKeepOrder() {
    List<Dataset> parts = Partitioner.iid(indexed(103, 4), 10, 3);
    int min = parts.stream().mapToInt(Dataset::size).min().getAsInt();
    int max = parts.stream().mapToInt(Dataset::size).max().getAsInt();
    assertTrue(max - min <= 1, min + ".." + max);
    float[] x = new float[parts.get(0).size()];
    parts
        .get(0)
        .copyBatch(java.util.stream.IntStream.range(0, x.length).toArray(), 0, x.length, x, null);
    for (int i = 1; i < x.length; i++) {
      assertTrue(x[i - 1] < x[i], "client samples stay in original order");
    }
  }

  @Test
  void dirichletIsSeededAndSeedSensitive() {
    Dataset d = indexed(2000, 10);
    List<Dataset> a = Partitioner.dirichlet(d, 6, 0.5, 11);
    List<Dataset> b = Partitioner.dirichlet(d, 6, 0.5, 11);
    List<Dataset> c = Partitioner.dirichlet(d, 6, 0.5, 12);
    for (int k = 0; k < 6; k++) {
      assertEquals(a.get(k).sha256(), b.get(k).sha256());
    }
    assertNotEquals(
        a.stream().map(Dataset::sha256).toList(), c.stream().map(Dataset::sha256).toList());
  }

  @Test
  void tinyAlphaStillGivesEveryClientData() {
    Dataset d = indexed(50, 2);
    for (double alpha : new double[] {1e-3, 1e-300}) {
      List<Dataset> parts = Partitioner.dirichlet(d, 20, alpha, 1);
      assertEquals(50, parts.stream().mapToInt(Dataset::size).sum());
      assertTrue(parts.stream().allMatch(p -> p.size() > 0), "alpha " + alpha);
    }
    List<Dataset> all = Partitioner.dirichlet(d, 50, 0.1, 1);
    assertTrue(all.stream().allMatch(p -> p.size() == 1), "as many clients as samples");
  }

  @Test
  void badArgumentsAreRefused() {
    Dataset d = indexed(10, 2);
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Partitioner.iid(d, 0, 1))
            .getMessage()
            .contains("10 samples over 0 clients"));
    assertThrows(IllegalArgumentException.class, () -> Partitioner.dirichlet(d, 11, 1, 1));
    for (double alpha : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertTrue(
          assertThrows(IllegalArgumentException.class, () -> Partitioner.dirichlet(d, 2, alpha, 1))
              .getMessage()
              .contains("alpha"));
    }
  }

  @Property(tries = 100)
  void apportionSumsToTheTotal(
      @ForAll @IntRange(min = 0, max = 10_000) int total,
      @ForAll @IntRange(min = 1, max = 30) int k,
      @ForAll @IntRange(min = 0, max = 1000) int seed) {
    double[] shares = Partitioner.dirichletSample(k, 0.3, new java.util.Random(seed));
    assertEquals(1.0, Arrays.stream(shares).sum(), 1e-9);
    int[] counts = Partitioner.apportion(total, shares);
    assertEquals(total, Arrays.stream(counts).sum());
    for (int i = 0; i < k; i++) {
      assertTrue(
          Math.abs(counts[i] - total * shares[i]) < 1 + 1e-9, "within one of the exact share");
    }
  }
}
