package dev.splitlearn.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.Fixtures;
import dev.splitlearn.core.encrypted.GradientExchange;
import dev.splitlearn.core.encrypted.GradientPrivacy;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import dev.splitlearn.splithe.CkksEncryption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label inference works where the server's view carries the labels (U-shaped gradients of a trained
 * toy run; the bias gradient of a batch of one under CKKS) and does not where it cannot (random
 * gradients score about chance).
 */
class LabelInferenceTest {
  private static final double[] UNIFORM = {0.2, 0.2, 0.2, 0.2, 0.2};
  @TempDir Path dir;

  @Test
  void uShapedCloudOutputGradientsGiveTheLabelsAway() throws Exception {
    // ecg-cnn-large, U-shaped: the client keeps fc2, so the server sees 128-wide gradients of fc1's
    // output
    SplitPlan plan =
        ModelZoo.get("ecg-cnn-large", new long[] {1, Fixtures.WAVE_LENGTH}, 5)
            .plan(Protocol.U_SHAPED);
    Path tap = dir.resolve("u.bin");
    List<Dataset> parts =
        TappedRun.train(
            plan,
            Fixtures.waves(300, 5),
            Fixtures.waves(8, 6),
            2,
            Schedule.PARALLEL,
            2,
            32,
            null,
            tap);
    LabelAttack.Report r =
        LabelAttack.run(TapEvidence.read(tap), TappedRun.samples(parts, 32), 5, 10, 1, UNIFORM);
    assertEquals(null, r.labelsInClear(), "no labels on the wire");
    LabelAttack.Gradients g = r.gradients().get(0);
    assertEquals("cloud_output_gradient", g.evidence());
    assertEquals(128, g.width());
    assertEquals(2 * 300, g.samples(), "every sample of both epochs");
    LabelInference.Score direction = g.scores().get(0);
    assertEquals(600 - 50, direction.scored(), "10 known per class are not scored");
    System.out.println("U-shaped toy run, cloud-output gradients: " + direction);
    assertTrue(
        direction.accuracy() > 0.9 && direction.accuracy() > 2 * direction.chance(),
        "accuracy " + direction.accuracy() + ", chance " + direction.chance());
    assertTrue(direction.macroAuc() > 0.95, "macro AUC " + direction.macroAuc());
  }

  @Test
  void randomGradientsScoreAboutChance() {
    Random r = new Random(3);
    int n = 2000;
    float[][] g = new float[n][64];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 5;
      for (int k = 0; k < 64; k++) {
        g[i][k] = (float) r.nextGaussian();
      }
    }
    LabelInference.Score s = LabelInference.direction(g, y, 5, 10, 1);
    assertEquals(0.2, s.chance(), 0.01);
    assertEquals(s.chance(), s.accuracy(), 0.05, "accuracy " + s.accuracy());
    assertEquals(0.5, s.macroAuc(), 0.04, "macro AUC " + s.macroAuc());
    assertEquals(0.5, LabelInference.norm(g, y, 5).macroAuc(), 0.04);
    // the same vectors with the label written into them: the scorer finds it
    for (int i = 0; i < n; i++) {
      g[i][y[i]] += 4;
    }
    assertTrue(LabelInference.direction(g, y, 5, 10, 1).accuracy() > 0.8);
  }

  @Test
  void aBatchOfOnesBiasGradientUnderCkksIsItsLabel() throws Exception {
    SplitPlan plan =
        ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5).plan(Protocol.U_SHAPED);
    Path tap = dir.resolve("he1.bin");
    List<Dataset> parts =
        TappedRun.train(
            plan,
            Fixtures.waves(12, 7),
            Fixtures.waves(1, 8),
            1,
            Schedule.PARALLEL,
            1,
            1,
            new CkksEncryption(
                "n4096",
                GradientExchange.AGGREGATE, // the defaults refuse a batch of one
                new GradientPrivacy(1, 0, 0, CkksEncryption.SAFE.logitNoise())),
            tap);
    TapEvidence e = TapEvidence.read(tap);
    assertEquals(0, e.plainForwards(), "the server saw no plaintext activations");
    assertTrue(
        e.cloudOutputGradients.isEmpty() && e.layerOutputGradients.isEmpty(),
        "nor per-sample gradients");
    LabelAttack.Report r = LabelAttack.run(e, TappedRun.samples(parts, 1), 5, 1, 1, UNIFORM);
    assertNotNull(r.biasCounts());
    assertEquals(12, r.biasCounts().batchOneSteps());
    assertEquals(
        1.0,
        r.biasCounts().batchOneAccuracy(),
        0.0,
        "db = p - onehot: its one negative entry is the label");
    assertEquals(0.0, r.biasCounts().meanError(), 0.0);
  }

  @Test
  void histogramsOfLargerBatchesBeatThePriorEarlyInTraining() {
    // untrained model: p near uniform, so -B db + B/C is close to the counts
    Random r = new Random(9);
    int steps = 200;
    int b = 16;
    float[][] db = new float[steps][5];
    int[][] y = new int[steps][b];
    int[] batch = new int[steps];
    Arrays.fill(batch, b);
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < b; i++) {
        y[t][i] = r.nextInt(5);
        double[] p = new double[5];
        double sum = 0;
        for (int c = 0; c < 5; c++) {
          p[c] = Math.exp(0.3 * r.nextGaussian());
          sum += p[c];
        }
        for (int c = 0; c < 5; c++) {
          db[t][c] += (float) ((p[c] / sum - (c == y[t][i] ? 1 : 0)) / b);
        }
      }
    }
    LabelInference.CountScore s = LabelInference.counts(db, batch, y, 5, UNIFORM);
    assertTrue(s.meanError() < 0.5 * s.priorMeanError(), s.toString());
    assertEquals(null, s.batchOneAccuracy());
  }
}
