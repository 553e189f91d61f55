package dev.splitlearn.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The accountant against published values of Opacus's RDP accountant and closed forms. */
class RdpAccountantTest {
  /**
   * Opacus, opacus/tests/accountants_test.py: sigma 1.5, sample rate 0.04, 90 epochs, delta 1e-5.
   */
  @Test
  void reproducesOpacusPublishedEpsilon() {
    RdpAccountant a = new RdpAccountant();
    a.compose(1.5, 0.04, (long) (90 / 0.04));
    assertEquals(7.32911117143, a.epsilon(1e-5), 1e-6);
  }

  /**
   * Opacus, opacus/accountants/analysis/rdp.py docstring: two mechanisms, orders 2..32: epsilon
   * 0.336.
   */
  @Test
  void reproducesTheComposedExampleOfOpacusDocs() {
    RdpAccountant a = new RdpAccountant();
    a.compose(1.0, 1e-5, 10);
    a.compose(3.0, 1e-4, 4);
    double[] orders = new double[31];
    for (int i = 0; i < orders.length; i++) {
      orders[i] = i + 2;
    }
    assertEquals(0.336, a.epsilon(1e-5, orders), 5e-4);
  }

  @Test
  void fullBatchGaussianIsAlphaOverTwoSigmaSquaredAndMoreNoiseOrFewerStepsCostLess() {
    assertEquals(3 / (2 * 4.0), RdpAccountant.rdp(1, 2, 3), 1e-15);
    // fractional and integer orders agree where they meet (continuity across the two formulas)
    assertEquals(RdpAccountant.rdp(0.01, 1.1, 4), RdpAccountant.rdp(0.01, 1.1, 4 + 1e-9), 1e-6);
    RdpAccountant more = new RdpAccountant();
    more.compose(2.0, 0.01, 1000);
    RdpAccountant less = new RdpAccountant();
    less.compose(1.0, 0.01, 1000);
    RdpAccountant shorter = new RdpAccountant();
    shorter.compose(1.0, 0.01, 100);
    assertTrue(more.epsilon(1e-5) < less.epsilon(1e-5));
    assertTrue(shorter.epsilon(1e-5) < less.epsilon(1e-5));
    assertEquals(0, new RdpAccountant().epsilon(1e-5), "nothing released, nothing spent");
    assertThrows(IllegalArgumentException.class, () -> new RdpAccountant().compose(0, 0.1, 1));
    assertThrows(IllegalArgumentException.class, () -> new RdpAccountant().epsilon(0));
  }
}
