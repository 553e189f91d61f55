package dev.splitlearn.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The accuracy/leakage Pareto front of a set of measured topologies: the points that no other point
 * beats on both counts (higher accuracy and lower leakage, one of them strictly). What a designer
 * picks from: everything off the front is worse than something on it. NaN coordinates are never on
 * the front and never dominate.
 */
public final class ParetoFront {
  /**
   * One measured point.
   *
   * @param label shown beside the point, e.g. {@code k=1 c=16}
   * @param accuracy test accuracy (higher is better)
   * @param leakage e.g. the inversion SSIM (lower is better)
   */
  public record Point(String label, double accuracy, double leakage) {
    boolean finite() {
      return Double.isFinite(accuracy) && Double.isFinite(leakage);
    }

    /** Whether this point is at least as good as {@code o} on both counts and better on one. */
    boolean dominates(Point o) {
      return accuracy >= o.accuracy
          && leakage <= o.leakage
          && (accuracy > o.accuracy || leakage < o.leakage);
    }
  }

  private ParetoFront() {}

  /** For each point, whether it is on the front (equal points are both on it). */
  public static boolean[] of(List<Point> points) {
    boolean[] front = new boolean[points.size()];
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      front[i] = p.finite();
      for (int j = 0; j < points.size() && front[i]; j++) {
        Point q = points.get(j);
        if (j != i && q.finite() && q.dominates(p)) {
          front[i] = false;
        }
      }
    }
    return front;
  }

  /**
   * Accuracy (y) against leakage (x), every point labelled, the front's points joined in a second
   * series.
   *
   * @param leakageLabel the x axis, e.g. {@code inversion SSIM (lower: less leaked)}
   * @return a 760 x 460 PNG
   */
  public static byte[] plot(
      String title, String leakageLabel, List<Point> points, boolean[] front) {
    List<Point> on = new ArrayList<>();
    List<Point> off = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      if (points.get(i).finite()) {
        (front[i] ? on : off).add(points.get(i));
      }
    }
    on.sort((a, b) -> Double.compare(a.leakage(), b.leakage()));
    return Charts.pareto(title, leakageLabel, on, off);
  }
}
