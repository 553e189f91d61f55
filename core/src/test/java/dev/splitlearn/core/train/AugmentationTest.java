package dev.splitlearn.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AugmentationTest {
  private static final long[] SHAPE = {2, 5, 6};
  private static final int LEN = 2 * 5 * 6;

  private static float[] ramp(int n) {
    float[] f = new float[n * LEN];
    for (int i = 0; i < f.length; i++) {
      f[i] = 1 + i;
    }
    return f;
  }

  private static float at(float[] f, int s, int c, int y, int x) {
    return f[s * LEN + (c * 5 + y) * 6 + x];
  }

  @Test
  void parsesTheNamedRecipes() {
    assertEquals(Augmentation.NONE, Augmentation.parse("none"));
    assertEquals(new Augmentation(2, true), Augmentation.parse("crop-flip"));
    assertEquals(new Augmentation(4, true), Augmentation.parse("Crop-Flip:4"));
    assertEquals(new Augmentation(0, true), Augmentation.parse("flip"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Augmentation.parse("rotate"));
    assertTrue(e.getMessage().contains("rotate"));
    assertThrows(IllegalArgumentException.class, () -> Augmentation.parse("crop-flip:-1"));
  }

  @Test
  void noneLeavesTheBatchAlone() {
    float[] f = ramp(3);
    Augmentation.NONE.apply(f, 3, SHAPE, new Random(1), new float[LEN]);
    assertArrayEquals(ramp(3), f);
  }

  @Test
  void flipEitherKeepsOrMirrorsEachSampleAndDoesBothOverABatch() {
    int n = 64;
    float[] f = ramp(n);
    new Augmentation(0, true).apply(f, n, SHAPE, new Random(7), new float[LEN]);
    float[] orig = ramp(n);
    int mirrored = 0;
    for (int s = 0; s < n; s++) {
      boolean same = true;
      boolean mirror = true;
      for (int c = 0; c < 2; c++) {
        for (int y = 0; y < 5; y++) {
          for (int x = 0; x < 6; x++) {
            same &= at(f, s, c, y, x) == at(orig, s, c, y, x);
            mirror &= at(f, s, c, y, x) == at(orig, s, c, y, 5 - x);
          }
        }
      }
      assertTrue(same ^ mirror, "sample " + s);
      mirrored += mirror ? 1 : 0;
    }
    assertTrue(mirrored > 10 && mirrored < 54, "mirrored " + mirrored + " of " + n);
  }

  @Test
  void cropShiftsContentAndFillsWithZeros() {
    int n = 32;
    float[] f = ramp(n);
    new Augmentation(2, false).apply(f, n, SHAPE, new Random(3), new float[LEN]);
    float[] orig = ramp(n);
    for (int s = 0; s < n; s++) {
      // find the shift from the value at a central pixel, then check every pixel against it
      boolean matched = false;
      for (int dy = -2; dy <= 2 && !matched; dy++) {
        for (int dx = -2; dx <= 2 && !matched; dx++) {
          boolean all = true;
          for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 5; y++) {
              for (int x = 0; x < 6; x++) {
                int sy = y + dy;
                int sx = x + dx;
                float want = sy < 0 || sy >= 5 || sx < 0 || sx >= 6 ? 0f : at(orig, s, c, sy, sx);
                all &= at(f, s, c, y, x) == want;
              }
            }
          }
          matched = all;
        }
      }
      assertTrue(matched, "sample " + s + " is not a padded crop of the original");
    }
  }

  @Test
  void sameSeedSameBatch() {
    Augmentation a = new Augmentation(2, true);
    float[] x = ramp(8);
    float[] y = ramp(8);
    a.apply(x, 8, SHAPE, new Random(5), new float[LEN]);
    a.apply(y, 8, SHAPE, new Random(5), new float[LEN]);
    assertArrayEquals(x, y);
  }
}
