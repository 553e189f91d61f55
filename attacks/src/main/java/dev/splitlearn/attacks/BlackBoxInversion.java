package dev.splitlearn.attacks;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.splitlearn.core.kernels.EngineThread;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Black-box inversion, the NoPeek threat model: the server got {@code leaked} (input, activation)
 * pairs and trains a decoder from activations back to inputs, then reconstructs held-out inputs
 * from their activations alone. The decoder is a two-layer perceptron (hidden 512, ReLU, sigmoid
 * output scaled to the range of the leaked inputs, which the attacker knows); a stronger decoder
 * can only do better, so its scores are a lower bound on the leakage. Scored by {@link
 * ReconstructionScore} like every reconstruction attack: MSE, PSNR (peak = that range), SSIM for
 * images, Pearson correlation, against the baseline of guessing the held-out inputs' mean.
 */
public final class BlackBoxInversion {
  private static final int HIDDEN = 512;

  private BlackBoxInversion() {}

  /**
   * What the attack gave: its scores and the decoder's reconstructions of the held-out inputs.
   *
   * @param scores the scores (see {@link #run}), in the order attack.json lists them
   * @param reconstructions {@code (n - leaked) * xLength} values in the leaked inputs' range,
   *     held-out sample {@code i} (sample {@code leaked + i} of the input) at {@code i * xLength}
   */
  public record Outcome(Map<String, Object> scores, float[] reconstructions) {}

  /**
   * Runs the attack on {@code n} pairs: the first {@code leaked} train the decoder, the rest are
   * scored.
   *
   * @param x inputs, {@code n * xLength} values (images in [0, 1], ECG beats in millivolts)
   * @param z activations, {@code n * zLength}
   * @param imageSide height = width of a square single-channel image (for SSIM), or 0
   * @return kind, leaked_pairs, scored, epochs, mse, mse_of_guessing_the_mean, psnr_db, pearson (of
   *     every sample, averaged), pearson_of_guessing_the_mean, ssim and ssim_of_guessing_the_mean
   *     (images: with {@code imageSide}; else null)
   */
  public static Map<String, Object> run(
      float[] x,
      int xLength,
      float[] z,
      int zLength,
      int n,
      int leaked,
      int epochs,
      long seed,
      int imageSide) {
    return attack(x, xLength, z, zLength, n, leaked, epochs, seed, imageSide, null).scores();
  }

  /**
   * {@link #run}, keeping the reconstructions (for pictures of what the attacker sees).
   *
   * @param labels the {@code n} samples' classes, or null; given, the scores also hold those of
   *     {@link LabelOnlyBaseline} (mse_of_label_only, psnr_db_of_label_only, pearson_of_label_only,
   *     ssim_of_label_only)
   */
  public static Outcome attack(
      float[] x,
      int xLength,
      float[] z,
      int zLength,
      int n,
      int leaked,
      int epochs,
      long seed,
      int imageSide,
      int[] labels) {
    if (leaked < 1 || leaked >= n) {
      throw new IllegalArgumentException(
          "--leaked must be in 1.." + (n - 1) + " (the rest is scored), got " + leaked);
    }
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < leaked * xLength; i++) {
      lo = Math.min(lo, x[i]);
      hi = Math.max(hi, x[i]);
    }
    float low = lo;
    float span = hi > lo ? hi - lo : 1;
    float[] reconstruction =
        EngineThread.call(() -> train(x, xLength, z, zLength, n, leaked, epochs, seed, low, span));
    // scored like every reconstruction attack: held-out originals against their reconstructions
    long[] sampleShape =
        imageSide > 0 ? new long[] {1, imageSide, imageSide} : new long[] {1, xLength};
    int held = n - leaked;
    float[] originals = Arrays.copyOfRange(x, leaked * xLength, n * xLength);
    ReconstructionScore score =
        ReconstructionScore.of(originals, reconstruction, held, sampleShape, span);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("kind", "black-box inversion (MLP decoder, hidden " + HIDDEN + ")");
    r.put("leaked_pairs", leaked);
    r.put("scored", held);
    r.put("epochs", epochs);
    r.put("mse", score.mse());
    r.put("mse_of_guessing_the_mean", score.meanGuessMse());
    r.put("psnr_db", score.psnrDb());
    r.put("pearson", score.pearson());
    r.put("pearson_of_guessing_the_mean", score.meanGuessPearson());
    r.put("ssim", score.ssim());
    r.put("ssim_of_guessing_the_mean", score.meanGuessSsim());
    if (labels != null) {
      ReconstructionScore labelOnly =
          ReconstructionScore.of(
              originals,
              LabelOnlyBaseline.reconstruct(x, xLength, labels, n, leaked),
              held,
              sampleShape,
              span);
      r.put("mse_of_label_only", labelOnly.mse());
      r.put("psnr_db_of_label_only", labelOnly.psnrDb());
      r.put("pearson_of_label_only", labelOnly.pearson());
      r.put("ssim_of_label_only", labelOnly.ssim());
    }
    return new Outcome(r, reconstruction);
  }

  /** Trains the decoder on the leaked pairs; returns its reconstructions of the held-out inputs. */
  private static float[] train(
      float[] x,
      int xLength,
      float[] z,
      int zLength,
      int n,
      int leaked,
      int epochs,
      long seed,
      float low,
      float span) {
    Engine.getInstance().setRandomSeed((int) seed);
    SequentialBlock decoder =
        new SequentialBlock()
            .add(Linear.builder().setUnits(HIDDEN).build())
            .add(Activation::relu)
            .add(Linear.builder().setUnits(xLength).build())
            .add(Activation::sigmoid);
    try (Model model = Model.newInstance("inversion-decoder")) {
      model.setBlock(decoder);
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.l2Loss())
              .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
      try (Trainer trainer = model.newTrainer(config);
          NDManager data = NDManager.newBaseManager()) {
        trainer.initialize(new Shape(1, zLength));
        int batch = Math.min(64, leaked);
        Random order = new Random(seed);
        int[] idx = new int[leaked];
        for (int i = 0; i < leaked; i++) {
          idx[i] = i;
        }
        for (int e = 0; e < epochs; e++) {
          for (int i = leaked - 1; i > 0; i--) { // Fisher-Yates with the seed
            int j = order.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
          }
          for (int b = 0; b < leaked; b += batch) {
            int m = Math.min(batch, leaked - b);
            float[] zb = new float[m * zLength];
            float[] xb = new float[m * xLength];
            for (int r = 0; r < m; r++) {
              System.arraycopy(z, idx[b + r] * zLength, zb, r * zLength, zLength);
              for (int k = 0; k < xLength; k++) { // targets scaled to [0, 1], the sigmoid's range
                xb[r * xLength + k] = (x[idx[b + r] * xLength + k] - low) / span;
              }
            }
            try (NDManager step = data.newSubManager();
                GradientCollector gc = trainer.newGradientCollector()) {
              NDArray pred =
                  trainer
                      .forward(new NDList(step.create(zb, new Shape(m, zLength))))
                      .singletonOrThrow();
              // mean squared error by hand: DJL's L2Loss multiplies by a Java number, which a
              // gradient
              // graph must not hold (see Tensors.scalar)
              NDArray loss = pred.sub(step.create(xb, new Shape(m, xLength))).square().mean();
              gc.backward(loss);
            }
            trainer.step();
          }
        }
        int held = n - leaked;
        float[] zh = new float[held * zLength];
        System.arraycopy(z, leaked * zLength, zh, 0, held * zLength);
        try (NDManager eval = data.newSubManager()) {
          float[] out =
              trainer
                  .evaluate(new NDList(eval.create(zh, new Shape(held, zLength))))
                  .singletonOrThrow()
                  .toFloatArray();
          for (int k = 0; k < out.length; k++) {
            out[k] = low + span * out[k];
          }
          return out;
        }
      }
    }
  }
}
