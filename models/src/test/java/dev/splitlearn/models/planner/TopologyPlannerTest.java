package dev.splitlearn.models.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.models.planner.Limits.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The feasibility filter and the choice on hand-made candidates. */
class TopologyPlannerTest {
  // accuracy 0.90 + 0.02 ln c at k=1, 0.88 + 0.02 ln c at k=2; SSIM 0.70 + 0.05 ln c at k=1, 0.40 +
  // 0.10 ln c at k=2
  private static final TopologyModel MODEL =
      TopologyModel.fit(
          List.of(
              new Measurement(1, 1, 0.90, 0.70),
                  new Measurement(1, 4, 0.90 + 0.02 * Math.log(4), 0.70 + 0.05 * Math.log(4)),
              new Measurement(2, 1, 0.88, 0.40),
                  new Measurement(2, 4, 0.88 + 0.02 * Math.log(4), 0.40 + 0.10 * Math.log(4))));

  /** k=1: 1.3 MFLOPs, 23 KB; k=2: 21 MFLOPs, 224 KB; wire bytes and time grow with c. */
  private static Candidate candidate(int k, int c) {
    return k == 1
        ? new Candidate(1, c, 4, 1_300_000, 23 * 1024, 4000 + 800 * c, 0.001 * c)
        : new Candidate(2, c, 4, 21_000_000, 224 * 1024, 4000 + 200 * c, 0.0005 * c);
  }

  private static final List<Candidate> ALL =
      List.of(
          candidate(1, 1),
          candidate(1, 2),
          candidate(1, 3),
          candidate(1, 4),
          candidate(2, 1),
          candidate(2, 2),
          candidate(2, 3),
          candidate(2, 4));

  @Test
  void withoutLimitsTheMostAccurateWins() {
    TopologyPlanner.Choice ch = TopologyPlanner.choose(ALL, MODEL, Limits.NONE);
    assertEquals("k=1 c=4", ch.chosen().candidate().label());
    assertEquals(8, ch.all().size());
    assertTrue(ch.all().stream().allMatch(TopologyPlanner.Evaluated::feasible));
  }

  @Test
  void theLeakageLimitMovesTheChoiceDeeper() {
    // k=1 leaks >= 0.70 everywhere; k=2 c=2 predicts 0.40 + 0.10 ln 2 = 0.469, c=3 0.510
    Limits l =
        new Limits(
            0.5, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    TopologyPlanner.Choice ch = TopologyPlanner.choose(ALL, MODEL, l);
    assertEquals("k=2 c=2", ch.chosen().candidate().label());
    TopologyPlanner.Evaluated k2c3 = ch.all().get(6);
    assertEquals(List.of(Kind.SSIM), k2c3.broken());
    assertFalse(k2c3.feasible());
  }

  @Test
  void anSsimMarginKeepsThePredictionFurtherBelowTheLimit() {
    // k=2: c=2 predicts 0.469, c=3 0.510; a margin of 0.035 leaves 0.465: only c=1 (0.40)
    Limits l =
        new Limits(
            0.5,
            Double.POSITIVE_INFINITY,
            Double.POSITIVE_INFINITY,
            Double.POSITIVE_INFINITY,
            0.035);
    assertEquals("k=2 c=1", TopologyPlanner.choose(ALL, MODEL, l).chosen().candidate().label());
    assertEquals(
        "k=2 c=2",
        TopologyPlanner.choose(ALL, MODEL, l.withoutMargin()).chosen().candidate().label());
    assertEquals("--max-ssim 0.5 less --ssim-margin 0.035", l.describe(Kind.SSIM));
    Limits tight =
        new Limits(
            0.5, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 0.2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TopologyPlanner.choose(ALL, MODEL, tight));
    assertTrue(
        e.getMessage().contains("--max-ssim 0.5 less --ssim-margin 0.2 is binding"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Limits(0.5, 1, 1, 1, -0.1));
  }

  @Test
  void costLimitsAreExactAndInclusive() {
    Limits kb =
        new Limits(
            Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 23, Double.POSITIVE_INFINITY);
    assertEquals(1, TopologyPlanner.choose(ALL, MODEL, kb).chosen().candidate().layers());
    Limits mflops = new Limits(0.5, 21, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    assertEquals(
        "k=2 c=2", TopologyPlanner.choose(ALL, MODEL, mflops).chosen().candidate().label());
    // 2 ms/sample: k=1 up to c=2, k=2 up to c=4; k=1 c=2 (0.914) beats k=2 c=4 (0.908)
    Limits ms =
        new Limits(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 2);
    TopologyPlanner.Choice ch = TopologyPlanner.choose(ALL, MODEL, ms);
    assertEquals("k=1 c=2", ch.chosen().candidate().label());
    assertEquals(List.of(Kind.MS_PER_SAMPLE), ch.all().get(2).broken());
  }

  @Test
  void noFeasibleTopologyNamesTheBindingLimit() {
    Limits ssim =
        new Limits(
            0.3, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TopologyPlanner.choose(ALL, MODEL, ssim));
    assertTrue(
        e.getMessage().startsWith("no topology meets the limits: --max-ssim 0.3 is binding"),
        e.getMessage());
    assertTrue(e.getMessage().contains("0.4, k=2 c=1"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));

    // k=2 is out on memory, k=1 on leakage: neither limit alone rules out a topology meeting the
    // other
    Limits both = new Limits(0.5, Double.POSITIVE_INFINITY, 100, Double.POSITIVE_INFINITY);
    e =
        assertThrows(
            IllegalArgumentException.class, () -> TopologyPlanner.choose(ALL, MODEL, both));
    assertTrue(e.getMessage().contains("--max-ssim 0.5 is binding"), e.getMessage());
    assertTrue(e.getMessage().contains("--max-client-kb 100 is binding"), e.getMessage());

    Limits two = new Limits(0.3, 1, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    e = assertThrows(IllegalArgumentException.class, () -> TopologyPlanner.choose(ALL, MODEL, two));
    assertTrue(e.getMessage().contains("breaks two or more"), e.getMessage());
    assertTrue(e.getMessage().contains("--max-ssim 0.3 and --max-client-mflops 1"), e.getMessage());
  }

  @Test
  void limitsRefuseNonsenseNamingTheFlag() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Limits(Double.NaN, 1, 1, 1));
    assertTrue(e.getMessage().startsWith("--max-ssim"));
    e = assertThrows(IllegalArgumentException.class, () -> new Limits(0.5, -1, 1, 1));
    assertTrue(e.getMessage().startsWith("--max-client-mflops must be >= 0"));
  }
}
