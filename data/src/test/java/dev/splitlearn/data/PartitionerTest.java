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
    return Dataset.of("indexed", new int[] {1}, x, y, java.util.stream.IntStream.range(0, classes)
        .mapToObj(Integer::toString).toList());
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
  void partitionsAreDisjointAndComplete(@ForAll @IntRange(min = 1, max = 300) int n,
      @ForAll @IntRange(min = 1, max = 12) int clients, @ForAll boolean dirichlet) {
    if (clients > n) {
      return;
    }
    Dataset d = indexed(n, 5);
    List<Dataset> parts = dirichlet ? Partitioner.dirichlet(d, clients, 0.3, 7) : Partitioner.iid(d, clients, 7);
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
    assertEquals(members(Partitioner.iid(d, 4, 1).get(0)), members(Partitioner.iid(d, 4, 1).get(0)));
    assertNotEquals(members(Partitioner.iid(d, 4, 1).get(0)), members(Partitioner.iid(d, 4, 2).get(0)));
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
    return parts.stream().mapToDouble(p -> Arrays.stream(p.classCounts()).max().getAsInt() / (double) p.size())
        .average().orElse(0);
  }

  @Test
  void moreClientsThanSamplesIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Partitioner.iid(indexed(10, 2), 11, 1));
    assertTrue(e.getMessage().contains("10 samples over 11 clients"), e.getMessage());
  }
}
