package dev.splitlearn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {
  /** 4 samples of shape {2}: sample i = {i, 10 + i}, label i % 3. */
  static Dataset small() {
    return Dataset.of(
        "small",
        new int[] {2},
        new float[] {0, 10, 1, 11, 2, 12, 3, 13},
        new int[] {0, 1, 2, 0},
        List.of("a", "b", "c"));
  }

  @Test
  void accessorsAndCopies() {
    Dataset d = small();
    assertEquals(4, d.size());
    assertEquals(2, d.sampleLength());
    assertEquals(3, d.numClasses());
    assertArrayEquals(new int[] {2, 1, 1}, d.classCounts());
    int[] shape = d.sampleShape();
    shape[0] = 99;
    assertArrayEquals(new int[] {2}, d.sampleShape(), "shape is copied");
    int[] labels = d.labels();
    labels[0] = 2;
    assertEquals(0, d.label(0), "labels are copied");
    float[] x = new float[3];
    d.copySample(2, x, 1);
    assertArrayEquals(new float[] {0, 2, 12}, x);
  }

  @Test
  void ofCopiesItsInputs() {
    float[] f = {1, 2};
    int[] l = {0};
    Dataset d = Dataset.of("x", new int[] {2}, f, l, List.of("only"));
    f[0] = 7;
    l[0] = 5;
    float[] x = new float[2];
    d.copySample(0, x, 0);
    assertEquals(1, x[0]);
    assertEquals(0, d.label(0));
  }

  @Test
  void copyBatchIsRowMajorInIndexOrder() {
    float[] x = new float[4];
    int[] y = new int[2];
    small().copyBatch(new int[] {3, 1, 0}, 0, 2, x, y);
    assertArrayEquals(new float[] {3, 13, 1, 11}, x);
    assertArrayEquals(new int[] {0, 1}, y);
    small().copyBatch(new int[] {3, 1, 0}, 2, 3, x, null);
    assertEquals(0, x[0]);
    assertThrows(
        IndexOutOfBoundsException.class, () -> small().copyBatch(new int[] {4}, 0, 1, x, y));
    assertThrows(
        IndexOutOfBoundsException.class, () -> small().copyBatch(new int[] {0, 1, 2}, 0, 3, x, y));
  }

  @Test
  void subsetLimitAndRename() {
    Dataset s = small().subset(new int[] {2, 2, 0});
    assertEquals(3, s.size());
    assertArrayEquals(new int[] {2, 2, 0}, s.labels());
    assertEquals("small", s.name());
    Dataset d = small();
    assertSame(d, d.limit(10));
    assertArrayEquals(new int[] {0, 1}, d.limit(2).labels());
    assertEquals(0, d.limit(0).size());
    assertThrows(IllegalArgumentException.class, () -> d.limit(-1));
    Dataset r = d.withName("renamed");
    assertEquals("renamed", r.name());
    assertEquals(d.sha256(), r.sha256());
  }

  @Test
  void invalidInputsAreRefusedWithTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Dataset.of("x", new int[] {2}, new float[3], new int[] {0, 0}, List.of("a")));
    assertTrue(
        e.getMessage().contains("3 feature values, expected 2 samples x 2 = 4"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Dataset.of("x", new int[] {1}, new float[2], new int[] {0, 2}, List.of("a", "b")));
    assertTrue(e.getMessage().contains("label 2 of sample 1 is outside [0, 2)"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> Dataset.of("x", new int[] {0}, new float[0], new int[0], List.of("a")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Dataset.of("x", new int[] {1}, new float[0], new int[0], List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> Dataset.of(" ", new int[] {1}, new float[0], new int[0], List.of("a")));
  }

  @Test
  void sha256DependsOnContentNotName() {
    Dataset a = small();
    assertEquals(64, a.sha256().length());
    assertEquals(
        a.sha256(),
        Dataset.of(
                "other",
                new int[] {2},
                new float[] {0, 10, 1, 11, 2, 12, 3, 13},
                new int[] {0, 1, 2, 0},
                List.of("x", "y", "z"))
            .sha256());
    assertNotEquals(a.sha256(), a.subset(new int[] {0, 1, 2, 3, 0}).sha256());
    assertNotEquals(
        a.sha256(),
        Dataset.of(
                "small",
                new int[] {2},
                new float[] {0, 10, 1, 11, 2, 12, 3, 13},
                new int[] {0, 1, 2, 1},
                List.of("a", "b", "c"))
            .sha256());
    assertNotEquals(
        a.sha256(),
        Dataset.of(
                "small",
                new int[] {1, 2},
                new float[] {0, 10, 1, 11, 2, 12, 3, 13},
                new int[] {0, 1, 2, 0},
                List.of("a", "b", "c"))
            .sha256(),
        "shape is hashed");
  }

  @Test
  void trainTestMustAgree() {
    Dataset d = small();
    Dataset other =
        Dataset.of("o", new int[] {1}, new float[] {1}, new int[] {0}, List.of("a", "b", "c"));
    assertThrows(IllegalArgumentException.class, () -> new TrainTest(d, other));
    assertEquals(d, new TrainTest(d, d.limit(1)).train());
  }
}
