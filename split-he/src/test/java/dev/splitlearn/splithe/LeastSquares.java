package dev.splitlearn.splithe;

/**
 * Least squares by the normal equations and Gaussian elimination with partial pivoting (tests
 * only).
 */
final class LeastSquares {
  private LeastSquares() {}

  /** The x minimising ||A x - Y|| column by column: (A^T A) x = A^T Y. */
  static double[][] solve(double[][] a, double[][] y) {
    int n = a[0].length;
    int m = y[0].length;
    double[][] g = new double[n][n + m];
    for (double[] row : a) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          g[i][j] += row[i] * row[j];
        }
      }
    }
    for (int s = 0; s < a.length; s++) {
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < m; k++) {
          g[i][n + k] += a[s][i] * y[s][k];
        }
      }
    }
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) {
        p = Math.abs(g[r][c]) > Math.abs(g[p][c]) ? r : p;
      }
      double[] t = g[c];
      g[c] = g[p];
      g[p] = t;
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = g[r][c] / g[c][c];
          for (int j = c; j < n + m; j++) {
            g[r][j] -= f * g[c][j];
          }
        }
      }
    }
    double[][] x = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < m; k++) {
        x[i][k] = g[i][n + k] / g[i][i];
      }
    }
    return x;
  }
}
