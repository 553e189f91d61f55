package dev.splitlearn.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The label-only reconstruction is the mean of the leaked samples of the held-out sample's class.
 */
class LabelOnlyBaselineTest {
  @Test
  void reconstructsEachHeldOutSampleAsItsClassMeanOfTheLeakedOnes() {
    // 4 leaked samples of 2 values (classes 0, 1, 0, 1), then 3 held out (classes 1, 0, 2)
    float[] x = {1, 2, 10, 20, 3, 4, 30, 40, 0, 0, 0, 0, 0, 0};
    int[] y = {0, 1, 0, 1, 1, 0, 2};
    float[] rec = LabelOnlyBaseline.reconstruct(x, 2, y, 7, 4);
    // class 1: (10+30)/2, (20+40)/2; class 0: (1+3)/2, (2+4)/2; class 2 never leaked: all 4 leaked
    assertArrayEquals(new float[] {20, 30, 2, 3, 11, 16.5f}, rec, 1e-6f);
  }

  @Test
  void refusesNothingLeakedOrNothingHeldOut() {
    float[] x = new float[4];
    int[] y = {0, 1};
    assertThrows(
        IllegalArgumentException.class, () -> LabelOnlyBaseline.reconstruct(x, 2, y, 2, 0));
    assertThrows(
        IllegalArgumentException.class, () -> LabelOnlyBaseline.reconstruct(x, 2, y, 2, 2));
  }
}
