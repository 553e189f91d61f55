package dev.splitlearn.attacks;

import java.util.ArrayList;
import java.util.List;

/**
 * Label inference on a run's tap: every kind of evidence the tap holds, scored against the true
 * labels of each step's samples ({@link StepSamples}). The attacker's knowledge: what the tap
 * holds, the labels of {@code known} samples per class (for the direction method), and the class
 * proportions (for the bias-gradient histograms).
 */
public final class LabelAttack {
  /**
   * Labels the clients sent in clear (vanilla), compared with the true labels.
   *
   * @param steps training steps whose labels crossed the wire
   * @param samples labels that crossed the wire
   * @param accuracy fraction equal to the true label (1.0: the server simply reads them)
   */
  public record ClearLabels(int steps, int samples, double accuracy) {}

  /**
   * One kind of per-sample gradient the tap holds and the methods' scores on it.
   *
   * @param evidence which gradient ({@code cloud_output_gradient}, {@code activation_gradient},
   *     {@code layer_output_gradient})
   * @param width values per sample as scored (count-sketched down to {@link TapEvidence#MAX_WIDTH})
   */
  public record Gradients(
      String evidence, int steps, int samples, int width, List<LabelInference.Score> scores) {}

  /**
   * What the tap gave away.
   *
   * @param frames frames in the tap
   * @param trainingForwards training steps seen (plaintext or encrypted forwards)
   * @param labelsInClear labels sent in clear, or null
   * @param gradients scores on each kind of per-sample gradient
   * @param biasCounts label histograms from the bias gradient (CKKS aggregate exchange), or null
   */
  public record Report(
      int frames,
      int trainingForwards,
      ClearLabels labelsInClear,
      List<Gradients> gradients,
      LabelInference.CountScore biasCounts) {}

  private LabelAttack() {}

  /**
   * Scores every kind of evidence in {@code e}.
   *
   * @param known labels the attacker knows per class (direction method)
   * @param prior the class proportions the attacker assumes (bias-gradient histograms)
   * @throws IllegalArgumentException if a step's batch in the tap does not match the rebuilt one
   *     (the options are not the run's), or the tap holds no training step
   */
  public static Report run(
      TapEvidence e, StepSamples truth, int classes, int known, long seed, double[] prior) {
    if (e.plainForwards() + e.encryptedForwards() == 0) {
      throw new IllegalArgumentException(
          "--tap: the tap holds no training step (was it recorded during training?)");
    }
    ClearLabels clear = null;
    if (!e.labelsInClear.isEmpty()) {
      int n = 0;
      int right = 0;
      for (TapEvidence.StepLabels s : e.labelsInClear) {
        int[] y = labels(truth, s.client(), s.step(), s.labels().length);
        for (int i = 0; i < y.length; i++) {
          right += y[i] == s.labels()[i] ? 1 : 0;
          n++;
        }
      }
      clear = new ClearLabels(e.labelsInClear.size(), n, right / (double) n);
    }
    List<Gradients> gradients = new ArrayList<>();
    add(gradients, "cloud_output_gradient", e.cloudOutputGradients, truth, classes, known, seed);
    add(gradients, "layer_output_gradient", e.layerOutputGradients, truth, classes, known, seed);
    if (clear
        != null) { // vanilla: what an eavesdropper without the labels learns from the returned
      // gradients
      add(gradients, "activation_gradient", e.activationGradients, truth, classes, known, seed);
    }
    LabelInference.CountScore counts = null;
    if (!e.biasGradients.isEmpty()) {
      int t = e.biasGradients.size();
      float[][] db = new float[t][];
      int[] batch = new int[t];
      int[][] y = new int[t][];
      for (int k = 0; k < t; k++) {
        TapEvidence.StepBias b = e.biasGradients.get(k);
        db[k] = b.bias();
        y[k] = labels(truth, b.client(), b.step(), b.batch());
        batch[k] = b.batch();
      }
      counts = LabelInference.counts(db, batch, y, classes, prior);
    }
    return new Report(
        e.frames(), e.plainForwards() + e.encryptedForwards(), clear, gradients, counts);
  }

  private static void add(
      List<Gradients> out,
      String name,
      List<TapEvidence.StepRows> steps,
      StepSamples truth,
      int classes,
      int known,
      long seed) {
    if (steps.isEmpty()) {
      return;
    }
    List<float[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (TapEvidence.StepRows s : steps) {
      int[] y = labels(truth, s.client(), s.step(), s.rows().length);
      for (int i = 0; i < y.length; i++) {
        rows.add(s.rows()[i]);
        labels.add(y[i]);
      }
    }
    float[][] g = rows.toArray(new float[0][]);
    int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
    List<LabelInference.Score> scores = new ArrayList<>();
    scores.add(LabelInference.direction(g, y, classes, known, seed));
    scores.add(LabelInference.norm(g, y, classes));
    if (g[0].length == classes) {
      scores.add(LabelInference.argmin(g, y, classes));
    }
    out.add(new Gradients(name, steps.size(), g.length, g[0].length, scores));
  }

  private static int[] labels(StepSamples truth, int client, long step, int batch) {
    int[] y = truth.of(client, step).labels();
    if (y.length != batch) {
      throw new IllegalArgumentException(
          "--tap: client "
              + client
              + "'s step "
              + step
              + " has "
              + batch
              + " samples on the wire, the run's settings give "
              + y.length
              + ": give the run's own options (--batch, "
              + "--clients, --limit, --seed, --config)");
    }
    return y;
  }
}
