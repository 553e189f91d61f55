package dev.splitlearn.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The accuracy/leakage Pareto front on hand-made points. */
class ParetoFrontTest {
  private static ParetoFront.Point p(String label, double accuracy, double leakage) {
    return new ParetoFront.Point(label, accuracy, leakage);
  }

  @Test
  void keepsExactlyTheUndominatedPoints() {
    List<ParetoFront.Point> points =
        List.of(
            p("a", 0.99, 0.80), // best accuracy: on the front
            p("b", 0.97, 0.40), // on the front
            p("c", 0.96, 0.50), // dominated by b
            p("d", 0.90, 0.20), // least leakage: on the front
            p("e", 0.90, 0.25), // dominated by d (same accuracy, more leakage)
            p("f", 0.97, 0.40), // equal to b: both on the front
            p("g", Double.NaN, 0.10), // unmeasured: never on the front, dominates nothing
            p("h", 0.95, 0.90)); // dominated by a
    assertArrayEquals(
        new boolean[] {true, true, false, true, false, true, false, false}, ParetoFront.of(points));
    assertArrayEquals(new boolean[] {true}, ParetoFront.of(List.of(p("alone", 0.5, 0.5))));
    assertEquals(0, ParetoFront.of(List.of()).length);
  }

  @Test
  void plotsAPng() throws Exception {
    List<ParetoFront.Point> points =
        List.of(p("k=1 c=4", 0.9, 0.3), p("k=1 c=32", 0.97, 0.6), p("k=2 c=4", 0.85, 0.4));
    byte[] png = ParetoFront.plot("test", "SSIM", points, ParetoFront.of(points));
    var image = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(760, image.getWidth());
    assertTrue(image.getHeight() > 0);
  }
}
