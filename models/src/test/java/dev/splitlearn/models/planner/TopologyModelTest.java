package dev.splitlearn.models.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fitted accuracy and leakage models recover known lines in ln c. */
class TopologyModelTest {
  private static final int[] C = {2, 4, 8, 16, 32};

  private static List<Measurement> synthetic(double noise, long seed) {
    Random r = new Random(seed);
    List<Measurement> out = new ArrayList<>();
    for (int c : C) {
      out.add(
          new Measurement(
              1,
              c,
              0.90 + 0.02 * Math.log(c) + noise * r.nextGaussian(),
              0.70 + 0.05 * Math.log(c) + noise * r.nextGaussian()));
      out.add(
          new Measurement(
              2,
              c,
              0.85 + 0.03 * Math.log(c) + noise * r.nextGaussian(),
              0.50 + 0.07 * Math.log(c) + noise * r.nextGaussian()));
    }
    return out;
  }

  @Test
  void recoversExactCoefficients() {
    TopologyModel m = TopologyModel.fit(synthetic(0, 1));
    assertEquals(List.of(1, 2), m.layers());
    assertEquals(0.90, m.fitOf(1).accuracy().intercept(), 1e-12);
    assertEquals(0.02, m.fitOf(1).accuracy().slope(), 1e-12);
    assertEquals(0.70, m.fitOf(1).ssim().intercept(), 1e-12);
    assertEquals(0.05, m.fitOf(1).ssim().slope(), 1e-12);
    assertEquals(0.85, m.fitOf(2).accuracy().intercept(), 1e-12);
    assertEquals(0.07, m.fitOf(2).ssim().slope(), 1e-12);
    assertEquals(
        0.85 + 0.03 * Math.log(64), m.accuracy(2, 64), 1e-12, "extrapolated along the line");
    assertEquals(0, m.errors(synthetic(0, 1)).accuracyMaxAbs(), 1e-12);
  }

  @Test
  void recoversCoefficientsFromTwoPointsAndScoresTheRest() {
    List<Measurement> all = synthetic(0, 1);
    List<Measurement> two = TopologyModel.fitSubset(all, 2);
    assertEquals(4, two.size());
    assertTrue(
        two.stream().allMatch(x -> x.channels() == 2 || x.channels() == 32),
        "the extremes: " + two);
    List<Measurement> three = TopologyModel.fitSubset(all, 3);
    assertTrue(three.stream().anyMatch(x -> x.channels() == 8), "then the middle: " + three);
    TopologyModel m = TopologyModel.fit(two);
    assertEquals(0.03, m.fitOf(2).accuracy().slope(), 1e-12);
    TopologyModel.Errors e = m.errors(all.stream().filter(x -> !two.contains(x)).toList());
    assertEquals(6, e.points());
    assertEquals(0, e.ssimRmse(), 1e-12);
  }

  @Test
  void leastSquaresUnderNoiseIsCloseAndHeldOutErrorIsReported() {
    List<Measurement> noisy = synthetic(0.002, 7);
    TopologyModel m = TopologyModel.fit(noisy);
    assertEquals(0.02, m.fitOf(1).accuracy().slope(), 0.003);
    assertEquals(0.05, m.fitOf(1).ssim().slope(), 0.003);
    TopologyModel.Errors e = TopologyModel.fit(TopologyModel.fitSubset(noisy, 2)).errors(noisy);
    assertTrue(e.accuracyRmse() > 0 && e.accuracyRmse() < 0.01, "held-out error " + e);
  }

  @Test
  void lineFitMatchesTheNormalEquations() {
    // four points off any line: the minimiser of the squared residuals, worked by hand
    double[] x = {0, 1, 2, 3};
    double[] y = {2, 2, 4, 8};
    Polynomial l = Polynomial.fit(x, y, 1);
    // slope = sum((x-1.5)(y-4)) / sum((x-1.5)^2) = (3 + 1 + 0 + 6) / 5 = 2, intercept = 4 - 2 * 1.5
    // = 1
    assertEquals(2, l.slope(), 1e-12);
    assertEquals(1, l.intercept(), 1e-12);
  }

  @Test
  void recoversAKnownParabolaInLnC() {
    // SSIM saturating, accuracy peaking at ln c = 2.5: the shapes a line misses
    List<Measurement> ms = new ArrayList<>();
    for (int c : C) {
      double x = Math.log(c);
      ms.add(
          new Measurement(
              1, c, 0.85 - 0.004 * (x - 2.5) * (x - 2.5), 0.55 + 0.06 * x - 0.007 * x * x));
    }
    TopologyModel m = TopologyModel.fit(ms, 2);
    double[] acc = m.fitOf(1).accuracy().coefficients();
    assertEquals(0.85 - 0.004 * 6.25, acc[0], 1e-9);
    assertEquals(0.004 * 5, acc[1], 1e-9);
    assertEquals(-0.004, acc[2], 1e-9);
    assertEquals(0.06, m.fitOf(1).ssim().slope(), 1e-9);
    assertEquals(-0.007, m.fitOf(1).ssim().coefficients()[2], 1e-9);
    assertEquals(0.85, m.accuracy(1, 12), 0.0001, "the peak, at c = e^2.5 = 12.2");
    TopologyModel three = TopologyModel.fit(TopologyModel.fitSubset(ms, 3), 2);
    assertEquals(0, three.errors(ms).accuracyMaxAbs(), 1e-9, "three points fix a parabola");
    assertThrows(
        IllegalArgumentException.class,
        () -> TopologyModel.fit(TopologyModel.fitSubset(ms, 2), 2),
        "two do not fix a parabola");
    assertThrows(IllegalArgumentException.class, () -> TopologyModel.fit(ms, 3));
    // noisy: least squares stays close
    Random r = new Random(3);
    List<Measurement> noisy =
        ms.stream()
            .map(
                x ->
                    new Measurement(
                        1, x.channels(), x.accuracy() + 0.0005 * r.nextGaussian(), x.ssim()))
            .toList();
    assertEquals(-0.004, TopologyModel.fit(noisy, 2).fitOf(1).accuracy().coefficients()[2], 0.001);
    assertEquals("0.8250 +0.0200 ln c -0.0040 (ln c)^2", m.fitOf(1).accuracy().describe("ln c"));
  }

  @Test
  void aLayerWithOneChannelCountIsNotModelled() {
    List<Measurement> ms = new ArrayList<>(synthetic(0, 1));
    ms.add(new Measurement(3, 8, 0.9, 0.4));
    TopologyModel m = TopologyModel.fit(ms);
    assertFalse(m.covers(3));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.accuracy(3, 8));
    assertTrue(e.getMessage().contains("k=3"));
    assertThrows(
        IllegalArgumentException.class,
        () -> TopologyModel.fit(List.of(new Measurement(1, 4, 0.9, 0.5))));
    assertThrows(IllegalArgumentException.class, () -> TopologyModel.fitSubset(ms, 1));
  }

  @Test
  void predictionsAreClipped() {
    TopologyModel m =
        TopologyModel.fit(
            List.of(new Measurement(1, 1, 0.5, 0.0), new Measurement(1, 2, 0.9, 0.5)));
    assertEquals(1.0, m.accuracy(1, 1024));
    assertEquals(1.0, m.ssim(1, 1024));
  }
}
