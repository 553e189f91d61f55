package dev.splitlearn.attacks;

import dev.splitlearn.privacy.Leakage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Label inference from what the server sees, scored against the true labels (Li et al. 2022, "Label
 * leakage and protection in two-party split learning"; Erdogan et al. 2022). Each method takes
 * per-sample vectors (gradients the server saw) with their true labels and says how well the labels
 * can be told from the vectors:
 *
 * <ul>
 *   <li>{@link #direction}: the attacker knows the labels of {@code known} samples per class and
 *       labels every other sample by the class whose known gradients point the most the same way
 *       (cosine to the class mean of unit vectors). Works because a sample's gradient of the loss
 *       is mostly {@code W^T (softmax - onehot)}: its direction is set by its label.
 *   <li>{@link #norm}: the gradient's norm alone (no known labels): per-class one-vs-rest AUC.
 *   <li>{@link #argmin}: for gradients of the logits themselves ({@code softmax - onehot}, scaled):
 *       the only negative entry is the label. No known labels needed.
 *   <li>{@link #counts}: from a batch's summed bias gradient {@code db = sum_i (p_i - y_i) / B} of
 *       a layer that outputs the logits, the batch's label histogram {@code n = -B db + P} where
 *       {@code P = sum_i p_i} is unknown: estimated as {@code B} times a prior.
 * </ul>
 *
 * Chance is the accuracy of always guessing the most frequent class among the scored samples.
 */
public final class LabelInference {
  private LabelInference() {}

  /**
   * Scores of one label-inference method on the samples it did not know.
   *
   * @param method what was scored
   * @param knownPerClass labels the attacker knew per class (0: none)
   * @param scored samples scored
   * @param accuracy fraction labelled right, or null if the method does not label
   * @param chance accuracy of always guessing the most frequent class
   * @param macroAuc mean over classes of the one-vs-rest AUC of the method's score for the class
   *     (classes without positives or negatives among the scored samples left out), or null
   * @param perClassAccuracy per class, the fraction of its scored samples labelled right (null:
   *     none)
   * @param perClassAuc per class, the one-vs-rest AUC (null: undefined)
   */
  public record Score(
      String method,
      int knownPerClass,
      int scored,
      Double accuracy,
      double chance,
      Double macroAuc,
      List<Double> perClassAccuracy,
      List<Double> perClassAuc) {}

  /**
   * The label histograms of batches estimated from their bias gradients.
   *
   * @param steps batches scored
   * @param meanError mean over batches of {@code sum_c |n_c - estimate_c| / (2 B)}: the fraction of
   *     the batch's labels the estimate puts in the wrong class (0: exact)
   * @param exactFraction fraction of batches whose histogram was estimated exactly
   * @param priorMeanError the same error for guessing {@code B} times the prior, without the
   *     gradient
   * @param priorExactFraction the same exact fraction for the prior guess
   * @param batchOneSteps batches of one sample
   * @param batchOneAccuracy fraction of those whose label is the argmax of {@code -db} (null: none)
   */
  public record CountScore(
      int steps,
      double meanError,
      double exactFraction,
      double priorMeanError,
      double priorExactFraction,
      int batchOneSteps,
      Double batchOneAccuracy) {}

  /**
   * Nearest class-mean direction. The known samples are {@code knownPerClass} drawn at random
   * (seeded) from each class over all the vectors; they are not scored.
   *
   * @throws IllegalArgumentException if {@code knownPerClass < 1} or nothing is left to score
   */
  public static Score direction(float[][] g, int[] y, int classes, int knownPerClass, long seed) {
    if (knownPerClass < 1) {
      throw new IllegalArgumentException("--known must be >= 1, got " + knownPerClass);
    }
    checkLabels(g, y, classes);
    boolean[] known = new boolean[g.length];
    Random r = new Random(seed);
    for (int c = 0; c < classes; c++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < y.length; i++) {
        if (y[i] == c) {
          members.add(i);
        }
      }
      java.util.Collections.shuffle(members, r);
      members.stream().limit(knownPerClass).forEach(i -> known[i] = true);
    }
    int width = g[0].length;
    double[][] mean = new double[classes][width];
    boolean[] hasMean = new boolean[classes];
    for (int i = 0; i < g.length; i++) {
      if (known[i]) {
        double[] u = unit(g[i]);
        for (int k = 0; k < width; k++) {
          mean[y[i]][k] += u[k];
        }
        hasMean[y[i]] = true;
      }
    }
    for (int c = 0; c < classes; c++) {
      mean[c] = unit(mean[c]);
    }
    List<Integer> scoredIdx = new ArrayList<>();
    for (int i = 0; i < g.length; i++) {
      if (!known[i]) {
        scoredIdx.add(i);
      }
    }
    if (scoredIdx.isEmpty()) {
      throw new IllegalArgumentException(
          "--known "
              + knownPerClass
              + " per class leaves no sample to score ("
              + g.length
              + " in all)");
    }
    double[][] score = new double[scoredIdx.size()][classes];
    int[] guess = new int[scoredIdx.size()];
    int[] truth = new int[scoredIdx.size()];
    for (int s = 0; s < scoredIdx.size(); s++) {
      int i = scoredIdx.get(s);
      truth[s] = y[i];
      double[] u = unit(g[i]);
      int best = -1;
      for (int c = 0; c < classes; c++) {
        score[s][c] = hasMean[c] ? dot(u, mean[c]) : Double.NEGATIVE_INFINITY;
        if (hasMean[c] && (best < 0 || score[s][c] > score[s][best])) {
          best = c;
        }
      }
      guess[s] = best;
    }
    return score(
        "nearest class-mean direction (cosine)", knownPerClass, truth, guess, score, classes);
  }

  /** The gradient's norm as a score for each class (one-vs-rest AUC); labels nothing. */
  public static Score norm(float[][] g, int[] y, int classes) {
    checkLabels(g, y, classes);
    double[][] score = new double[g.length][classes];
    for (int i = 0; i < g.length; i++) {
      double n = Math.sqrt(dot(g[i], g[i]));
      Arrays.fill(score[i], n);
    }
    return score("gradient norm", 0, y, null, score, classes);
  }

  /**
   * The label as the index of the most negative entry of a gradient of the logits; AUC of the
   * negated entries.
   *
   * @throws IllegalArgumentException if the vectors are not {@code classes} wide
   */
  public static Score argmin(float[][] g, int[] y, int classes) {
    checkLabels(g, y, classes);
    if (g[0].length != classes) {
      throw new IllegalArgumentException(
          "argmin needs gradients of the " + classes + " logits, got width " + g[0].length);
    }
    double[][] score = new double[g.length][classes];
    int[] guess = new int[g.length];
    for (int i = 0; i < g.length; i++) {
      for (int c = 0; c < classes; c++) {
        score[i][c] = -g[i][c];
        if (score[i][c] > score[i][guess[i]]) {
          guess[i] = c;
        }
      }
    }
    return score("argmin of the logits' gradient", 0, y, guess, score, classes);
  }

  /**
   * Estimates each batch's label histogram from its summed bias gradient {@code db} (of the mean
   * loss over the batch): {@code n = -B db + B prior}, clipped at 0, scaled to {@code B} and
   * rounded by largest remainders; at batch size 1 the label is the argmax of {@code -db}.
   *
   * @param db per batch, the bias gradient ({@code classes} values)
   * @param batch per batch, its size as the server saw it
   * @param labels per batch, the true labels
   * @param prior the attacker's class proportions (e.g. public statistics of the data set)
   */
  public static CountScore counts(
      float[][] db, int[] batch, int[][] labels, int classes, double[] prior) {
    if (db.length == 0) {
      throw new IllegalArgumentException("no bias gradients to score");
    }
    double err = 0;
    double priorErr = 0;
    int exact = 0;
    int priorExact = 0;
    int ones = 0;
    int oneRight = 0;
    for (int t = 0; t < db.length; t++) {
      int b = batch[t];
      int[] n = histogram(labels[t], classes);
      double[] v = new double[classes];
      double[] p = new double[classes];
      for (int c = 0; c < classes; c++) {
        v[c] = -b * (double) db[t][c] + b * prior[c];
        p[c] = b * prior[c];
      }
      double e = l1(round(v, b, prior), n) / (2.0 * b);
      double ep = l1(round(p, b, prior), n) / (2.0 * b);
      err += e;
      priorErr += ep;
      exact += e == 0 ? 1 : 0;
      priorExact += ep == 0 ? 1 : 0;
      if (b == 1) {
        ones++;
        int best = 0;
        for (int c = 1; c < classes; c++) {
          best = -db[t][c] > -db[t][best] ? c : best;
        }
        oneRight += best == labels[t][0] ? 1 : 0;
      }
    }
    int s = db.length;
    return new CountScore(
        s,
        err / s,
        exact / (double) s,
        priorErr / s,
        priorExact / (double) s,
        ones,
        ones == 0 ? null : oneRight / (double) ones);
  }

  /** Non-negative integers summing to {@code total}, closest to {@code v} by largest remainders. */
  static int[] round(double[] v, int total, double[] fallback) {
    double[] w = new double[v.length];
    double sum = 0;
    for (int c = 0; c < v.length; c++) {
      w[c] = Math.max(0, v[c]);
      sum += w[c];
    }
    if (!(sum > 0)) {
      w = fallback.clone();
      sum = Arrays.stream(w).sum();
    }
    int[] out = new int[v.length];
    double[] rest = new double[v.length];
    int used = 0;
    for (int c = 0; c < v.length; c++) {
      double x = w[c] * total / sum;
      out[c] = (int) Math.floor(x);
      rest[c] = x - out[c];
      used += out[c];
    }
    while (used < total) {
      int best = 0;
      for (int c = 1; c < v.length; c++) {
        best = rest[c] > rest[best] ? c : best;
      }
      out[best]++;
      rest[best] = -1;
      used++;
    }
    return out;
  }

  private static int[] histogram(int[] labels, int classes) {
    int[] n = new int[classes];
    for (int l : labels) {
      n[l]++;
    }
    return n;
  }

  private static int l1(int[] a, int[] b) {
    int s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.abs(a[i] - b[i]);
    }
    return s;
  }

  /** Accuracy (when {@code guess} is given), chance, per-class accuracy and one-vs-rest AUCs. */
  private static Score score(
      String method, int known, int[] truth, int[] guess, double[][] score, int classes) {
    int n = truth.length;
    int[] count = histogram(truth, classes);
    int majority = Arrays.stream(count).max().orElse(0);
    List<Double> perClassAcc = new ArrayList<>();
    List<Double> perClassAuc = new ArrayList<>();
    double aucSum = 0;
    int aucs = 0;
    int right = 0;
    for (int c = 0; c < classes; c++) {
      int hit = 0;
      double[] s = new double[n];
      boolean[] pos = new boolean[n];
      for (int i = 0; i < n; i++) {
        s[i] = score[i][c];
        pos[i] = truth[i] == c;
        if (guess != null && pos[i] && guess[i] == c) {
          hit++;
        }
      }
      right += hit;
      perClassAcc.add(guess == null || count[c] == 0 ? null : hit / (double) count[c]);
      boolean defined = count[c] > 0 && count[c] < n && Double.isFinite(s[0]);
      Double auc = defined ? Leakage.auc(s, pos) : null;
      perClassAuc.add(auc);
      if (auc != null) {
        aucSum += auc;
        aucs++;
      }
    }
    return new Score(
        method,
        known,
        n,
        guess == null ? null : right / (double) n,
        majority / (double) n,
        aucs == 0 ? null : aucSum / aucs,
        perClassAcc,
        perClassAuc);
  }

  private static void checkLabels(float[][] g, int[] y, int classes) {
    if (g.length == 0 || g.length != y.length) {
      throw new IllegalArgumentException(
          "label inference needs one label per vector and at least one vector, got "
              + g.length
              + " vectors and "
              + y.length
              + " labels");
    }
    for (int l : y) {
      if (l < 0 || l >= classes) {
        throw new IllegalArgumentException("label " + l + " outside [0, " + classes + ")");
      }
    }
  }

  private static double[] unit(float[] v) {
    double[] u = new double[v.length];
    for (int k = 0; k < v.length; k++) {
      u[k] = v[k];
    }
    return unit(u);
  }

  private static double[] unit(double[] u) {
    double n = Math.sqrt(dot(u, u));
    if (n > 0) {
      for (int k = 0; k < u.length; k++) {
        u[k] /= n;
      }
    }
    return u;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += (double) a[k] * b[k];
    }
    return s;
  }
}
