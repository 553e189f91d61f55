package dev.splitlearn.crowd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardsTest {
  @Test
  void iidShardsAreDisjointAndFull() {
    int[][] s = Shards.iid(1000, 16, 60, 3);
    Set<Integer> seen = new HashSet<>();
    for (int[] shard : s) {
      assertEquals(60, shard.length);
      for (int i : shard) {
        assertTrue(seen.add(i), "index " + i + " dealt twice");
      }
    }
    assertTrue(Arrays.deepEquals(s, Shards.iid(1000, 16, 60, 3)));
  }

  @Test
  void labelSkewGivesEachDeviceFewLabels() {
    int[] labels = new int[6000];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (i * 7) % 10;
    }
    int[][] s = Shards.labelSkew(labels, 100, 60, 2, 5);
    Set<Integer> seen = new HashSet<>();
    int mostlyTwo = 0;
    for (int[] shard : s) {
      Set<Integer> mine = new HashSet<>();
      for (int i : shard) {
        assertTrue(seen.add(i), "index " + i + " dealt twice");
        mine.add(labels[i]);
      }
      assertTrue(mine.size() <= 4, "labels " + mine); // each of the 2 shards spans at most 2 labels
      mostlyTwo += mine.size() <= 2 ? 1 : 0;
    }
    assertTrue(mostlyTwo >= 80, mostlyTwo + " of 100 devices hold <= 2 labels");
    int[][] iid = Shards.iid(6000, 100, 60, 5);
    long iidFew =
        Arrays.stream(iid)
            .filter(sh -> Arrays.stream(sh).map(i -> labels[i]).distinct().count() <= 2)
            .count();
    assertEquals(0, iidFew); // IID shards of 60 cover many labels
  }
}
