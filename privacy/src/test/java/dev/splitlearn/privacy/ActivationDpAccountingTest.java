package dev.splitlearn.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The activation defense's epsilon against the closed form of the composed Gaussian mechanism. */
class ActivationDpAccountingTest {
  /**
   * Closed form: E Gaussian mechanisms of sensitivity 2C and noise std zC have RDP alpha (2C)^2 /
   * (2 (zC)^2) E at order alpha, converted by Balle et al. 2020 (Theorem 21) and minimised over the
   * same orders as the accountant.
   */
  private static double closedForm(double c, double z, double delta, int epochs) {
    double sensitivity = 2 * c;
    double sigma = z * c;
    double best = Double.POSITIVE_INFINITY;
    for (double alpha : RdpAccountant.ORDERS) {
      double rdp = epochs * alpha * sensitivity * sensitivity / (2 * sigma * sigma);
      double eps =
          rdp + Math.log((alpha - 1) / alpha) - (Math.log(delta) + Math.log(alpha)) / (alpha - 1);
      best = Math.min(best, eps);
    }
    return best;
  }

  @Test
  void matchesTheComposedGaussianMechanismAndIsBelowTheClassicConversion() {
    for (double z : new double[] {0.5, 1, 2, 4, 8}) {
      for (int epochs : new int[] {1, 2, 10}) {
        double eps = ActivationDpAccounting.epsilon(z, 1e-5, epochs);
        assertEquals(
            closedForm(3.7, z, 1e-5, epochs), eps, 1e-9, "z " + z + ", " + epochs + " epochs");
        // Mironov 2017, Prop. 3 at its best order: rho + 2 sqrt(rho log(1/delta)), rho = 2E / z^2
        double rho = 2.0 * epochs / (z * z);
        assertTrue(eps <= rho + 2 * Math.sqrt(rho * Math.log(1e5)), "z " + z + ": " + eps);
        assertTrue(eps > 0);
      }
    }
    // points computed apart from Java (a Python loop over the same orders): z = 2 after one epoch
    // (best
    // order 5.4) and z = 4 after two (best order 7.2)
    assertEquals(4.728507067217623, ActivationDpAccounting.epsilon(2, 1e-5, 1), 1e-9);
    assertEquals(3.188991562633588, ActivationDpAccounting.epsilon(4, 1e-5, 2), 1e-9);
  }

  @Test
  void perEpochFiguresGrowWithEpochsAndShrinkWithNoise() {
    double[] e = ActivationDpAccounting.epsilonPerEpoch(2, 1e-5, 3);
    assertEquals(3, e.length);
    assertTrue(e[0] < e[1] && e[1] < e[2]);
    assertEquals(ActivationDpAccounting.epsilon(2, 1e-5, 2), e[1], 0);
    assertTrue(ActivationDpAccounting.epsilon(4, 1e-5, 2) < e[1]);
    assertEquals(0, ActivationDpAccounting.epsilon(2, 1e-5, 0));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> ActivationDpAccounting.epsilon(0, 1e-5, 1))
            .getMessage()
            .contains("--dp-noise"));
  }
}
