package dev.splitlearn.privacy;

import java.util.Arrays;

/**
 * Leakage metrics in plain Java (double precision), the reference the attacks and reports use:
 * reconstruction quality (MSE, PSNR, SSIM, Pearson correlation), statistical dependence (distance
 * correlation) and label inference (AUC). Inputs are not modified.
 */
public final class Leakage {
  private static final int WINDOW = 11;
  private static final double WINDOW_SIGMA = 1.5;
  private static final double[] GAUSSIAN = gaussian(WINDOW, WINDOW_SIGMA);

  private Leakage() {}

  /** Mean squared error of two equally long signals. */
  public static double mse(double[] x, double[] y) {
    sameLength(x, y);
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - y[i];
      s += d * d;
    }
    return s / x.length;
  }

  /**
   * Peak signal-to-noise ratio in dB for values of range {@code dataRange}; +infinity for equal
   * signals.
   */
  public static double psnr(double[] x, double[] y, double dataRange) {
    double m = mse(x, y);
    return m == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(dataRange * dataRange / m);
  }

  /** Pearson correlation of two signals (NaN if either is constant). */
  public static double pearson(double[] x, double[] y) {
    sameLength(x, y);
    double mx = mean(x);
    double my = mean(y);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      double a = x[i] - mx;
      double b = y[i] - my;
      sxy += a * b;
      sxx += a * a;
      syy += b * b;
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  /**
   * Structural similarity of two grey images (Wang et al. 2004): the mean SSIM over every 11 x 11
   * Gaussian window (sigma 1.5) that fits inside the image, with K1 = 0.01, K2 = 0.03.
   *
   * @param x row-major image, {@code height * width} values
   * @param dataRange the range of the values (1 for [0, 1], 255 for bytes)
   * @throws IllegalArgumentException if the image is smaller than the window
   */
  public static double ssim(double[] x, double[] y, int height, int width, double dataRange) {
    sameLength(x, y);
    if (x.length != height * width || height < WINDOW || width < WINDOW) {
      throw new IllegalArgumentException(
          "ssim needs images of at least "
              + WINDOW
              + " x "
              + WINDOW
              + ", got "
              + height
              + " x "
              + width
              + " ("
              + x.length
              + " values)");
    }
    double c1 = Math.pow(0.01 * dataRange, 2);
    double c2 = Math.pow(0.03 * dataRange, 2);
    double sum = 0;
    int windows = 0;
    for (int r = 0; r + WINDOW <= height; r++) {
      for (int c = 0; c + WINDOW <= width; c++) {
        double mx = 0;
        double my = 0;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int i = 0; i < WINDOW; i++) {
          for (int j = 0; j < WINDOW; j++) {
            double w = GAUSSIAN[i] * GAUSSIAN[j];
            double a = x[(r + i) * width + c + j];
            double b = y[(r + i) * width + c + j];
            mx += w * a;
            my += w * b;
            xx += w * a * a;
            yy += w * b * b;
            xy += w * a * b;
          }
        }
        double vx = xx - mx * mx;
        double vy = yy - my * my;
        double cov = xy - mx * my;
        sum += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        windows++;
      }
    }
    return sum / windows;
  }

  /**
   * Sample distance correlation (Székely, Rizzo and Bakirov 2007) of paired samples {@code x[i]},
   * {@code z[i]}: double-centred Euclidean distance matrices, the V-statistic. 1 for {@code z = a x
   * + b} (any {@code a != 0}), near 0 for independent samples (biased up by about {@code
   * 1/sqrt(n)}), 0 if either side is constant.
   */
  public static double distanceCorrelation(double[][] x, double[][] z) {
    if (x.length != z.length || x.length < 2) {
      throw new IllegalArgumentException(
          "distance correlation needs two equally long samples of >= 2 rows, got "
              + x.length
              + " and "
              + z.length);
    }
    double[][] a = centredDistances(x);
    double[][] b = centredDistances(z);
    double xz = meanProduct(a, b);
    double xx = meanProduct(a, a);
    double zz = meanProduct(b, b);
    if (xx <= 0 || zz <= 0) {
      return 0;
    }
    return Math.sqrt(Math.max(0, xz) / Math.sqrt(xx * zz));
  }

  /**
   * Area under the ROC curve of {@code scores} for telling positives from negatives (the
   * Mann-Whitney statistic; ties count one half). 1: every positive scores above every negative.
   */
  public static double auc(double[] scores, boolean[] positive) {
    if (scores.length != positive.length) {
      throw new IllegalArgumentException(
          scores.length + " scores for " + positive.length + " labels");
    }
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (i, j) -> Double.compare(scores[i], scores[j]));
    double rankSumPositive = 0;
    long positives = 0;
    for (int k = 0; k < order.length; ) {
      int end = k;
      while (end + 1 < order.length && scores[order[end + 1]] == scores[order[k]]) {
        end++;
      }
      double midRank = (k + end) / 2.0 + 1; // ties share the mean of their ranks
      for (int t = k; t <= end; t++) {
        if (positive[order[t]]) {
          rankSumPositive += midRank;
          positives++;
        }
      }
      k = end + 1;
    }
    long negatives = scores.length - positives;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException("AUC needs both positives and negatives");
    }
    return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  private static double[][] centredDistances(double[][] x) {
    int n = x.length;
    double[][] d = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (x[i].length != x[j].length) {
          throw new IllegalArgumentException("rows " + i + " and " + j + " differ in length");
        }
        double s = 0;
        for (int k = 0; k < x[i].length; k++) {
          double t = x[i][k] - x[j][k];
          s += t * t;
        }
        d[i][j] = d[j][i] = Math.sqrt(s);
      }
    }
    double[] rowMean = new double[n];
    double grand = 0;
    for (int i = 0; i < n; i++) {
      rowMean[i] = mean(d[i]);
      grand += rowMean[i];
    }
    grand /= n;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        d[i][j] += grand - rowMean[i] - rowMean[j]; // symmetric: column means equal row means
      }
    }
    return d;
  }

  private static double meanProduct(double[][] a, double[][] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a.length; j++) {
        s += a[i][j] * b[i][j];
      }
    }
    return s / ((double) a.length * a.length);
  }

  private static double[] gaussian(int size, double sigma) {
    double[] g = new double[size];
    double sum = 0;
    for (int i = 0; i < size; i++) {
      double d = i - (size - 1) / 2.0;
      g[i] = Math.exp(-d * d / (2 * sigma * sigma));
      sum += g[i];
    }
    for (int i = 0; i < size; i++) {
      g[i] /= sum;
    }
    return g;
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  private static void sameLength(double[] x, double[] y) {
    if (x.length != y.length || x.length == 0) {
      throw new IllegalArgumentException("signals of " + x.length + " and " + y.length + " values");
    }
  }
}
