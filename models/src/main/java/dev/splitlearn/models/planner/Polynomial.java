package dev.splitlearn.models.planner;

import java.util.Arrays;
import java.util.Locale;

/**
 * A polynomial {@code y = c0 + c1 x + c2 x^2 + ...}, fitted by ordinary least squares: a straight
 * line (degree 1) or a parabola (degree 2) in the planner's variable ln c.
 *
 * @param coefficients c0, c1, ... (lowest power first), at least one
 */
public record Polynomial(double[] coefficients) {
  public Polynomial {
    if (coefficients.length == 0) {
      throw new IllegalArgumentException("a polynomial needs a coefficient");
    }
    coefficients = coefficients.clone();
  }

  @Override
  public double[] coefficients() {
    return coefficients.clone();
  }

  /** The degree (the number of coefficients less one). */
  public int degree() {
    return coefficients.length - 1;
  }

  /** c0, the value at x = 0. */
  public double intercept() {
    return coefficients[0];
  }

  /** c1, the slope at x = 0 (0 for a constant). */
  public double slope() {
    return coefficients.length > 1 ? coefficients[1] : 0;
  }

  /** The value at {@code x} (Horner). */
  public double at(double x) {
    double y = 0;
    for (int i = coefficients.length - 1; i >= 0; i--) {
      y = y * x + coefficients[i];
    }
    return y;
  }

  /**
   * The least-squares polynomial of {@code degree} through {@code (x[i], y[i])}: exact through
   * degree + 1 points, the minimiser of the summed squared residuals through more. Solved from the
   * normal equations with x centred and scaled (well conditioned for the planner's few points).
   *
   * @throws IllegalArgumentException if the arrays differ in length, hold a non-finite value, the
   *     degree is not 1 or 2, or there are fewer than degree + 1 distinct x values (the fit would
   *     be undetermined)
   */
  public static Polynomial fit(double[] x, double[] y, int degree) {
    if (degree < 1 || degree > 2) {
      throw new IllegalArgumentException(
          "--fit-degree must be 1 (a line) or 2 (a parabola), got " + degree);
    }
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "cannot fit: " + x.length + " x values but " + y.length + " y values");
    }
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
        throw new IllegalArgumentException(
            "cannot fit: point " + i + " is (" + x[i] + ", " + y[i] + ")");
      }
    }
    if (Arrays.stream(x).distinct().count() < degree + 1) {
      throw new IllegalArgumentException(
          "cannot fit degree "
              + degree
              + ": fewer than "
              + (degree + 1)
              + " distinct x values among "
              + x.length
              + " points");
    }
    double mean = Arrays.stream(x).average().orElse(0);
    double scale = Math.max(1e-12, Arrays.stream(x).map(v -> Math.abs(v - mean)).max().orElse(1));
    int n = degree + 1;
    double[][] a = new double[n][n + 1];
    for (int p = 0; p < x.length; p++) {
      double t = (x[p] - mean) / scale;
      double[] pow = new double[2 * n];
      pow[0] = 1;
      for (int i = 1; i < pow.length; i++) {
        pow[i] = pow[i - 1] * t;
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          a[i][j] += pow[i + j];
        }
        a[i][n] += pow[i] * y[p];
      }
    }
    double[] u = solve(a);
    // back from t = (x - mean) / scale to x: expand u0 + u1 t + u2 t^2
    double[] c = new double[n];
    double s = 1 / scale;
    c[0] = u[0] - u[1] * mean * s + (n > 2 ? u[2] * mean * mean * s * s : 0);
    c[1] = u[1] * s - (n > 2 ? 2 * u[2] * mean * s * s : 0);
    if (n > 2) {
      c[2] = u[2] * s * s;
    }
    return new Polynomial(c);
  }

  /** Gaussian elimination with partial pivoting on an augmented n x (n + 1) matrix. */
  private static double[] solve(double[][] a) {
    int n = a.length;
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] tmp = a[col];
      a[col] = a[pivot];
      a[pivot] = tmp;
      for (int r = col + 1; r < n; r++) {
        double f = a[r][col] / a[col][col];
        for (int k = col; k <= n; k++) {
          a[r][k] -= f * a[col][k];
        }
      }
    }
    double[] out = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double v = a[r][n];
      for (int k = r + 1; k < n; k++) {
        v -= a[r][k] * out[k];
      }
      out[r] = v / a[r][r];
    }
    return out;
  }

  /** {@code 0.9181 +0.0154 ln c -0.0021 (ln c)^2}, with {@code variable} for x. */
  public String describe(String variable) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%.4f", coefficients[0]));
    for (int i = 1; i < coefficients.length; i++) {
      b.append(
          String.format(
              Locale.ROOT,
              " %+.4f %s",
              coefficients[i],
              i == 1 ? variable : "(" + variable + ")^" + i));
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Polynomial p && Arrays.equals(p.coefficients, coefficients);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(coefficients);
  }

  @Override
  public String toString() {
    return "Polynomial" + Arrays.toString(coefficients);
  }
}
