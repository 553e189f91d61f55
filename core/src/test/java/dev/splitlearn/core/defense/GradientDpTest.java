package dev.splitlearn.core.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.splitlearn.core.kernels.EngineThread;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The server's clipping and noise of returned gradient rows: the bound, the noise's scale, its
 * seeding.
 */
class GradientDpTest {
  private static final int N = 32;
  private static final int D = 2000;

  private static float[] apply(GradientDp dp, float[] g, int client, long step) {
    return EngineThread.call(
        () -> {
          try (NDManager m = NDManager.newBaseManager()) {
            return dp.apply(m.create(g, new Shape(N, 20, 100)), client, step).toFloatArray();
          }
        });
  }

  private static float[] rows(long seed) {
    Random r = new Random(seed);
    float[] g = new float[N * D];
    for (int i = 0; i < g.length; i++) {
      g[i] =
          (float)
              (r.nextGaussian() * (i / D % 2 == 0 ? 1e-4 : 1e-2)); // rows of norm ~0.0045 and ~0.45
    }
    return g;
  }

  private static double norm(float[] v, int row) {
    double s = 0;
    for (int i = row * D; i < (row + 1) * D; i++) {
      s += (double) v[i] * v[i];
    }
    return Math.sqrt(s);
  }

  @Test
  void rowsAreClippedToCAndSmallRowsPassUnchanged() {
    float[] g = rows(1);
    float[] out = apply(new GradientDp(0.05, 1e-9, 1e-5, 7, "explicit"), g, 0, 0); // noise ~1e-11
    for (int r = 0; r < N; r++) {
      double before = norm(g, r);
      double after = norm(out, r);
      if (before <= 0.05) {
        assertEquals(before, after, before * 1e-5, "row " + r + " within the bound is unchanged");
      } else {
        assertEquals(0.05, after, 0.05 * 1e-5, "row " + r + " clipped to C");
      }
    }
  }

  @Test
  void theNoiseHasStdZTimesCAndIsSeededPerClientAndStep() {
    float[] zero = new float[N * D];
    GradientDp dp = new GradientDp(0.01, 3, 1e-5, 11, "run");
    float[] a = apply(dp, zero, 0, 5);
    double s = 0;
    for (float x : a) {
      s += (double) x * x;
    }
    assertEquals(0.03, Math.sqrt(s / a.length), 0.03 * 0.01, "std Z x C");
    assertArrayEquals(a, apply(dp, zero, 0, 5), 0f, "same seed, client and step: same noise");
    assertFalse(Arrays.equals(a, apply(dp, zero, 0, 6)), "another step");
    assertFalse(Arrays.equals(a, apply(dp, zero, 1, 5)), "another client");
    assertFalse(
        Arrays.equals(a, apply(new GradientDp(0.01, 3, 1e-5, 12, "run"), zero, 0, 5)),
        "another seed");
  }

  @Test
  void badSettingsNameTheirFlag() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new GradientDp(0, 1, 1e-5, 1, "run"))
            .getMessage()
            .contains("--grad-dp-clip"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> new GradientDp(1, Double.NaN, 1e-5, 1, "run"))
            .getMessage()
            .contains("--grad-dp-noise"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> new GradientDp(1, 1, 1, 1, "run"))
            .getMessage()
            .contains("--grad-dp-delta"));
  }
}
