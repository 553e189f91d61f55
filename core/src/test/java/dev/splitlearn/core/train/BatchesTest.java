package dev.splitlearn.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.splitlearn.core.Fixtures;
import dev.splitlearn.data.Dataset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BatchesTest {
  private static int[] sizes(Batches b) {
    int[] s = new int[b.count()];
    for (int i = 0; i < s.length; i++) {
      s[i] = b.load(i);
    }
    return s;
  }

  @Test
  void aShortTrailingBatchMergesIntoTheOneBeforeIt() {
    Dataset d = Fixtures.waves(100, 1);
    assertArrayEquals(new int[] {32, 32, 32, 4}, sizes(new Batches(d, 32, Augmentation.NONE, 1)));
    assertArrayEquals(new int[] {32, 32, 36}, sizes(new Batches(d, 32, Augmentation.NONE, 8)));
    assertArrayEquals(new int[] {32, 32, 32, 4}, sizes(new Batches(d, 32, Augmentation.NONE, 4)));
    assertArrayEquals(new int[] {50, 50}, sizes(new Batches(d, 50, Augmentation.NONE, 8)));
  }

  @Test
  void aMergedBatchHoldsEverySampleOnce() {
    Dataset d = Fixtures.waves(100, 1);
    Batches b = new Batches(d, 32, Augmentation.NONE, 8);
    b.shuffle(3, 1, 0);
    int[] seen = new int[d.numClasses()];
    for (int i = 0; i < b.count(); i++) {
      int n = b.load(i);
      for (int y : b.labels(n)) {
        seen[y]++;
      }
      assertEquals(n * d.sampleLength(), b.features(n).length);
    }
    assertArrayEquals(d.classCounts(), seen);
    assertEquals(100, Arrays.stream(seen).sum());
  }

  @Test
  void batchesBelowTheMinimumAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Batches(Fixtures.waves(100, 1), 4, Augmentation.NONE, 8));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Batches(Fixtures.waves(5, 1), 32, Augmentation.NONE, 8));
  }
}
