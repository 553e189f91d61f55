package dev.splitlearn.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.Role;
import dev.splitlearn.models.SplitPlan;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * UnSplit, knowing only the extractor's architecture, reconstructs small images from the
 * activations of mnist-cnn's conv1 far better than guessing their mean; from activations that carry
 * nothing (a constant), it does no better than the mean.
 */
class UnSplitTest {
  private static final int SIDE = 16;
  private static final int N = 16;
  private static final ModelSpec SPEC = ModelZoo.get("mnist-cnn", new long[] {1, SIDE, SIDE}, 10);
  private static final SplitPlan PLAN = SPEC.plan(Protocol.U_SHAPED);

  /** Bright bars and blobs on black, in [0, 1]. */
  private static float[] images(Random r) {
    float[] x = new float[N * SIDE * SIDE];
    for (int i = 0; i < N; i++) {
      double cy = 4 + r.nextDouble() * (SIDE - 8);
      double cx = 4 + r.nextDouble() * (SIDE - 8);
      int bar = 2 + r.nextInt(SIDE - 4);
      for (int y = 0; y < SIDE; y++) {
        for (int xx = 0; xx < SIDE; xx++) {
          double d2 = (y - cy) * (y - cy) + (xx - cx) * (xx - cx);
          double v = Math.exp(-d2 / 8) + ((i % 2 == 0 ? xx : y) == bar ? 0.8 : 0);
          x[i * SIDE * SIDE + y * SIDE + xx] = (float) Math.min(1, v);
        }
      }
    }
    return x;
  }

  /**
   * The activations a victim extractor (the run's seed, unknown to the attacker) sends for {@code
   * x}.
   */
  private static float[] victim(float[] x, long[] zShape) {
    PartModel extractor =
        PartModel.create(
            "victim",
            SPEC,
            PLAN.from(Role.EXTRACTOR),
            PLAN.to(Role.EXTRACTOR),
            42,
            OptimizerSpec.adam(1e-3f));
    try {
      return EngineThread.call(
          () -> {
            try (NDManager scope = extractor.newScope()) {
              var z = extractor.forward(scope.create(x, new Shape(N, 1, SIDE, SIDE)), false);
              long[] s = z.getShape().getShape();
              System.arraycopy(s, 0, zShape, 0, s.length);
              return z.toFloatArray();
            }
          });
    } finally {
      EngineThread.run(extractor::close);
    }
  }

  @Test
  void informativeActivationsAreInvertedWithoutTheWeights() {
    float[] x = images(new Random(1));
    long[] zShape = new long[4];
    float[] z = victim(x, zShape);
    UnSplit.Settings s = new UnSplit.Settings(800, 20, 0, 0.02f, 3e-3f, 7, 0, 1);
    UnSplit.Result r =
        UnSplit.run(
            SPEC,
            PLAN.from(Role.EXTRACTOR),
            PLAN.to(Role.EXTRACTOR),
            new long[] {N, 1, SIDE, SIDE},
            z,
            zShape,
            s);
    ReconstructionScore score =
        ReconstructionScore.of(x, r.inputs(), N, new long[] {1, SIDE, SIDE}, 1);
    System.out.println(
        "UnSplit on informative activations: "
            + score
            + ", fit "
            + r.fit()
            + " of variance "
            + r.activationVariance());
    assertTrue(score.mse() < 0.7 * score.meanGuessMse(), score.toString());
    assertTrue(score.ssim() > score.meanGuessSsim() + 0.3, score.toString());
    for (float v : r.inputs()) {
      assertTrue(v >= 0 && v <= 1, "clamped to the data range");
    }
    assertTrue(r.fit() < 0.1 * r.activationVariance(), "the clone fits the activations");

    float[] nothing = new float[z.length]; // activations that carry nothing
    UnSplit.Result blind =
        UnSplit.run(
            SPEC,
            PLAN.from(Role.EXTRACTOR),
            PLAN.to(Role.EXTRACTOR),
            new long[] {N, 1, SIDE, SIDE},
            nothing,
            zShape,
            s);
    ReconstructionScore none =
        ReconstructionScore.of(x, blind.inputs(), N, new long[] {1, SIDE, SIDE}, 1);
    System.out.println("UnSplit on constant activations: " + none);
    assertTrue(none.mse() > 0.9 * none.meanGuessMse(), none.toString());
  }

  @Test
  void settingsAreChecked() {
    assertEquals(
        "--tv must be a finite weight >= 0, got -1.0",
        assertThrows(
                IllegalArgumentException.class,
                () -> new UnSplit.Settings(10, 2, -1, 0.01f, 1e-3f, 1, 0, 1))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new UnSplit.Settings(1, 2, 0, 0.01f, 1e-3f, 1, 0, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new UnSplit.Settings(10, 2, 0, 0.01f, 1e-3f, 1, 1, 1));
  }
}
