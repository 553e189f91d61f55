package dev.splitlearn.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The inversion attack recovers inputs from activations that carry them (far better than guessing
 * the mean) and fails on activations that carry nothing (no better than guessing the mean).
 */
class BlackBoxInversionTest {
  private static final int SIDE = 16;
  private static final int N = 400;

  /** Images of one or two soft blobs at random places, in [0, 1]. */
  private static float[] images(Random r) {
    float[] x = new float[N * SIDE * SIDE];
    for (int i = 0; i < N; i++) {
      int blobs = 1 + r.nextInt(2);
      for (int b = 0; b < blobs; b++) {
        double cy = 3 + r.nextDouble() * (SIDE - 6);
        double cx = 3 + r.nextDouble() * (SIDE - 6);
        for (int y = 0; y < SIDE; y++) {
          for (int xx = 0; xx < SIDE; xx++) {
            double d2 = (y - cy) * (y - cy) + (xx - cx) * (xx - cx);
            int k = i * SIDE * SIDE + y * SIDE + xx;
            x[k] = (float) Math.min(1, x[k] + Math.exp(-d2 / 6));
          }
        }
      }
    }
    return x;
  }

  private static float[] activations(float[] x, Random r, boolean informative) {
    int d = SIDE * SIDE;
    int m = 64;
    float[][] w = new float[m][d];
    for (float[] row : w) {
      for (int k = 0; k < d; k++) {
        row[k] = (float) (r.nextGaussian() / Math.sqrt(d));
      }
    }
    float[] z = new float[N * m];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < m; j++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          s += w[j][k] * x[i * d + k];
        }
        z[i * m + j] = informative ? (float) Math.tanh(s) : (float) r.nextGaussian();
      }
    }
    return z;
  }

  private static int[] alternating() {
    int[] y = new int[N];
    for (int i = 0; i < N; i++) {
      y[i] = i % 2;
    }
    return y;
  }

  @Test
  void activationsThatCarryTheInputAreInverted() {
    Random r = new Random(1);
    float[] x = images(r);
    BlackBoxInversion.Outcome outcome =
        BlackBoxInversion.attack(
            x, SIDE * SIDE, activations(x, r, true), 64, N, 300, 40, 7, SIDE, alternating());
    Map<String, Object> got = outcome.scores();
    double mse = (Double) got.get("mse");
    // the labels here say nothing of the blobs: the class means are no better than the mean guess
    double labelOnly = (Double) got.get("mse_of_label_only");
    assertTrue(mse < 0.5 * labelOnly, "reconstruction MSE vs label-only " + labelOnly);
    assertTrue(
        (Double) got.get("ssim") > (Double) got.get("ssim_of_label_only") + 0.2,
        "SSIM " + got.get("ssim") + " vs label-only " + got.get("ssim_of_label_only"));
    double baseline = (Double) got.get("mse_of_guessing_the_mean");
    assertTrue(mse < 0.5 * baseline, "reconstruction MSE " + mse + " vs mean-guess " + baseline);
    assertTrue((Double) got.get("ssim") > 0.3, "SSIM " + got.get("ssim"));
    assertEquals(100, got.get("scored"));
    assertTrue((Double) got.get("pearson") > 0.5, "Pearson " + got.get("pearson"));
    assertEquals(100 * SIDE * SIDE, outcome.reconstructions().length);
  }

  @Test
  void inputsOutsideTheUnitRangeAreReconstructedInTheirOwnRange() {
    // ECG beats span millivolts, not [0, 1]: the decoder's output follows the leaked inputs' range
    Random r = new Random(3);
    float[] x = images(r);
    float[] z = activations(x, r, true);
    float[] scaled = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      scaled[i] = 5 * x[i] - 1;
    }
    BlackBoxInversion.Outcome outcome =
        BlackBoxInversion.attack(scaled, SIDE * SIDE, z, 64, N, 300, 40, 7, 0, null);
    double mse = (Double) outcome.scores().get("mse");
    double baseline = (Double) outcome.scores().get("mse_of_guessing_the_mean");
    assertTrue(mse < 0.5 * baseline, "reconstruction MSE " + mse + " vs mean-guess " + baseline);
    float max = Float.NEGATIVE_INFINITY;
    for (float v : outcome.reconstructions()) {
      max = Math.max(max, v);
    }
    assertTrue(max > 1.5, "reconstructions reach beyond 1: max " + max);
  }

  @Test
  void activationsThatCarryNothingAreNot() {
    Random r = new Random(2);
    float[] x = images(r);
    Map<String, Object> got =
        BlackBoxInversion.run(x, SIDE * SIDE, activations(x, r, false), 64, N, 300, 40, 7, SIDE);
    double mse = (Double) got.get("mse");
    double baseline = (Double) got.get("mse_of_guessing_the_mean");
    assertTrue(
        mse > 0.9 * baseline, "noise activations: MSE " + mse + " vs mean-guess " + baseline);
    assertTrue(
        (Double) got.get("pearson") < 0.9, "noise activations: Pearson " + got.get("pearson"));
    assertThrows(
        IllegalArgumentException.class,
        () -> BlackBoxInversion.run(x, SIDE * SIDE, new float[N * 64], 64, N, N, 1, 7, SIDE));
  }
}
