package dev.splitlearn.models.planner;

/**
 * A straight line {@code y = intercept + slope * x}, fitted by ordinary least squares.
 *
 * @param intercept the value at x = 0
 * @param slope the change of y per unit of x
 */
public record Line(double intercept, double slope) {
  /** The line's value at {@code x}. */
  public double at(double x) {
    return intercept + slope * x;
  }

  /**
   * The least-squares line through {@code (x[i], y[i])}: exact through two points, the minimiser of the
   * summed squared residuals through more.
   *
   * @throws IllegalArgumentException if the arrays differ in length, hold a non-finite value, or fewer than
   *     two distinct x values (the slope would be undetermined)
   */
  public static Line fit(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("cannot fit a line: " + x.length + " x values but " + y.length + " y values");
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
        throw new IllegalArgumentException("cannot fit a line: point " + i + " is (" + x[i] + ", " + y[i] + ")");
      }
      mx += x[i];
      my += y[i];
    }
    mx /= Math.max(1, x.length);
    my /= Math.max(1, x.length);
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < x.length; i++) {
      sxx += (x[i] - mx) * (x[i] - mx);
      sxy += (x[i] - mx) * (y[i] - my);
    }
    if (!(sxx > 1e-12 * Math.max(1, mx * mx))) {
      throw new IllegalArgumentException("cannot fit a line: fewer than two distinct x values among " + x.length
          + " points");
    }
    double slope = sxy / sxx;
    return new Line(my - slope * mx, slope);
  }
}
