package dev.splitlearn.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each metric against known values: identities, closed forms and small hand-checked cases. */
class LeakageTest {
  private static double[] image(long seed, int n) {
    Random r = new Random(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextDouble();
    }
    return x;
  }

  @Test
  void mseAndPsnr() {
    double[] x = {0, 0.5, 1, 1};
    double[] y = {0, 0.5, 0.5, 1};
    assertEquals(0.0625, Leakage.mse(x, y), 1e-15);
    assertEquals(10 * Math.log10(1 / 0.0625), Leakage.psnr(x, y, 1), 1e-12); // 12.04 dB
    assertEquals(Double.POSITIVE_INFINITY, Leakage.psnr(x, x, 1));
    assertThrows(IllegalArgumentException.class, () -> Leakage.mse(x, new double[3]));
  }

  @Test
  void pearson() {
    double[] x = {1, 2, 3, 4};
    assertEquals(1, Leakage.pearson(x, new double[] {3, 5, 7, 9}), 1e-15);
    assertEquals(-1, Leakage.pearson(x, new double[] {4, 3, 2, 1}), 1e-15);
    // hand-checked: x - mean = (-1.5, -.5, .5, 1.5), y - mean = (-1, 1, 1, -1): covariance 0
    assertEquals(0, Leakage.pearson(x, new double[] {1, 3, 3, 1}), 1e-15);
  }

  @Test
  void ssimIsOneForEqualImagesAndFollowsItsClosedFormForConstantOnes() {
    double[] x = image(1, 28 * 28);
    assertEquals(1, Leakage.ssim(x, x, 28, 28, 1), 1e-12);
    // constant images a and b: no variance, so SSIM = (2ab + C1) / (a^2 + b^2 + C1) in every window
    double a = 0.2;
    double b = 0.6;
    double c1 = 1e-4;
    double[] ca = new double[16 * 16];
    double[] cb = new double[16 * 16];
    java.util.Arrays.fill(ca, a);
    java.util.Arrays.fill(cb, b);
    assertEquals((2 * a * b + c1) / (a * a + b * b + c1), Leakage.ssim(ca, cb, 16, 16, 1), 1e-12);
    // noise lowers it, more noise lowers it more
    Random r = new Random(2);
    double[] slightly = x.clone();
    double[] much = x.clone();
    for (int i = 0; i < x.length; i++) {
      double n = r.nextGaussian();
      slightly[i] += 0.05 * n;
      much[i] += 0.5 * n;
    }
    double s1 = Leakage.ssim(x, slightly, 28, 28, 1);
    double s2 = Leakage.ssim(x, much, 28, 28, 1);
    assertTrue(s1 < 1 && s2 < s1, s1 + " " + s2);
    assertEquals(
        Leakage.ssim(x, slightly, 28, 28, 1),
        Leakage.ssim(slightly, x, 28, 28, 1),
        1e-12,
        "symmetric");
    assertThrows(
        IllegalArgumentException.class,
        () -> Leakage.ssim(new double[100], new double[100], 10, 10, 1));
  }

  @Test
  void distanceCorrelation() {
    Random r = new Random(3);
    double[][] x = new double[200][5];
    double[][] affine = new double[200][5];
    double[][] independent = new double[200][3];
    for (int i = 0; i < 200; i++) {
      for (int k = 0; k < 5; k++) {
        x[i][k] = r.nextGaussian();
        affine[i][k] = -3 * x[i][k] + 7;
      }
      for (int k = 0; k < 3; k++) {
        independent[i][k] = r.nextGaussian();
      }
    }
    assertEquals(1, Leakage.distanceCorrelation(x, x), 1e-12);
    assertEquals(1, Leakage.distanceCorrelation(x, affine), 1e-12);
    double dIndependent = Leakage.distanceCorrelation(x, independent);
    assertTrue(
        dIndependent < 0.25,
        "independent samples: " + dIndependent); // V-statistic bias ~ 1/sqrt(n)
    // a small case checked with the other formula of the same statistic (dCov^2 = S1 + S2 - 2 S3,
    // Szekely et al. 2007), computed separately: 0.96996596613475
    double[][] a = {{0}, {1}, {2}, {4}};
    double[][] b = {{1, 0}, {0, 1}, {3, 1}, {2, 5}};
    assertEquals(0.96996596613475, Leakage.distanceCorrelation(a, b), 1e-12);
    assertEquals(0, Leakage.distanceCorrelation(a, new double[][] {{1}, {1}, {1}, {1}}));
  }

  @Test
  void auc() {
    boolean[] pos = {false, false, true, true};
    assertEquals(1, Leakage.auc(new double[] {0.1, 0.2, 0.8, 0.9}, pos));
    assertEquals(0, Leakage.auc(new double[] {0.9, 0.8, 0.2, 0.1}, pos));
    // hand-checked: pairs (pos, neg): (0.5 vs 0.1) win, (0.5 vs 0.5) tie, (0.9 vs 0.1) win, (0.9 vs
    // 0.5) win
    assertEquals(3.5 / 4, Leakage.auc(new double[] {0.1, 0.5, 0.5, 0.9}, pos), 1e-15);
    assertThrows(
        IllegalArgumentException.class,
        () -> Leakage.auc(new double[] {1, 2}, new boolean[] {true, true}));
  }
}
