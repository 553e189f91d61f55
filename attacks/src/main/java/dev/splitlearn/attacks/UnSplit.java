package dev.splitlearn.attacks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.core.party.Tensors;
import dev.splitlearn.models.ModelSpec;

/**
 * UnSplit (Erdogan, Küpçü and Çiçek 2022), white-box model inversion by a server that knows the
 * client extractor's architecture but not its weights: from the activations {@code z} of some
 * inputs it alternately optimises (a) estimates {@code x} of the inputs, clamped to the data range,
 * and (b) a clone of the extractor with fresh random weights, to minimise {@code mean((clone(x) -
 * z)^2) + tv * TV(x)}, where TV is the mean absolute difference of neighbouring values (rows and
 * columns of images, time steps of signals), the prior that makes the inputs look like data rather
 * than any preimage. All targets share one clone (they came from one extractor). Inputs start at
 * the middle of the data range with a little seeded noise; both sides use Adam. Engine work runs on
 * the engine thread, one scoped step at a time.
 */
public final class UnSplit {
  /**
   * The attack's knobs.
   *
   * @param steps optimisation steps in all, shared equally by inputs and clone
   * @param block consecutive steps on one side before switching to the other
   * @param tv weight of the total-variation prior, >= 0
   * @param inputLr Adam learning rate of the inputs
   * @param modelLr Adam learning rate of the clone
   * @param seed seeds the clone's weights and the inputs' start (never the run's seed: the attacker
   *     does not know the victim's initial weights)
   * @param lo smallest value of the data (the attacker knows the data's range)
   * @param hi largest value of the data
   */
  public record Settings(
      int steps, int block, float tv, float inputLr, float modelLr, long seed, float lo, float hi) {
    public Settings {
      if (steps < 2) {
        throw new IllegalArgumentException("--attack-steps must be >= 2, got " + steps);
      }
      if (block < 1) {
        throw new IllegalArgumentException("UnSplit block must be >= 1, got " + block);
      }
      if (!(tv >= 0) || Float.isInfinite(tv)) {
        throw new IllegalArgumentException("--tv must be a finite weight >= 0, got " + tv);
      }
      if (!(hi > lo)) {
        throw new IllegalArgumentException(
            "UnSplit needs a data range with hi > lo, got [" + lo + ", " + hi + "]");
      }
    }
  }

  /**
   * Reconstructions and how well the clone fits.
   *
   * @param inputs the reconstructed inputs, row-major, shape of the originals
   * @param fit the last step's {@code mean((clone(x) - z)^2)}
   * @param activationVariance the variance of {@code z}: what a clone that outputs the mean would
   *     leave
   */
  public record Result(float[] inputs, double fit, double activationVariance) {}

  private UnSplit() {}

  /**
   * Runs the attack on a batch of activations.
   *
   * @param spec the model (the attacker knows the plan)
   * @param from first stage of the extractor
   * @param to end (exclusive) of the extractor's stages
   * @param xShape shape of the inputs, batch first
   * @param z the activations the server saw for them, row-major, shape {@code zShape}
   */
  public static Result run(
      ModelSpec spec, int from, int to, long[] xShape, float[] z, long[] zShape, Settings s) {
    int size = 1;
    for (long d : xShape) {
      size *= (int) d;
    }
    float[] x = new float[size];
    java.util.Random r = new java.util.Random(s.seed());
    float mid = (s.lo() + s.hi()) / 2;
    for (int i = 0; i < size; i++) {
      x[i] = mid + (float) (0.01 * (s.hi() - s.lo()) * r.nextGaussian());
    }
    double zMean = 0;
    for (float v : z) {
      zMean += v / (double) z.length;
    }
    double zVar = 0;
    for (float v : z) {
      zVar += (v - zMean) * (v - zMean) / z.length;
    }
    float[] m = new float[size];
    float[] v = new float[size];
    PartModel clone =
        PartModel.create(
            "unsplit/clone", spec, from, to, s.seed(), OptimizerSpec.adam(s.modelLr()));
    try {
      double fit = Double.NaN;
      int t = 0;
      for (int k = 0; k < s.steps(); k++) {
        boolean inputs = (k / s.block()) % 2 == 0;
        float[] grad = new float[inputs ? size : 0];
        fit = EngineThread.call(() -> step(clone, x, xShape, z, zShape, inputs ? s.tv() : 0, grad));
        if (inputs) {
          t++;
          adam(x, grad, m, v, t, s.inputLr(), s.lo(), s.hi());
        }
      }
      return new Result(x, fit, zVar);
    } finally {
      EngineThread.run(clone::close);
    }
  }

  /**
   * One step: the loss at {@code x}; with {@code inputGrad} non-empty its gradient with respect to
   * the inputs goes there and the clone's gradients are dropped, otherwise the clone takes an
   * optimizer step. Returns the fit term of the loss.
   */
  private static double step(
      PartModel clone,
      float[] x,
      long[] xShape,
      float[] z,
      long[] zShape,
      float tv,
      float[] inputGrad) {
    try (NDManager scope = clone.newScope()) {
      NDArray xs = scope.create(x, new Shape(xShape));
      boolean inputs = inputGrad.length > 0;
      if (inputs) {
        xs.setRequiresGradient(true);
      }
      NDArray target = scope.create(z, new Shape(zShape));
      double fit;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray out = clone.forward(xs, true);
        NDArray loss = out.sub(target).square().mean();
        fit = loss.getFloat();
        if (tv > 0) {
          loss = loss.add(totalVariation(xs).mul(Tensors.scalar(scope, tv))); // see Tensors.scalar
        }
        gc.backward(loss);
      }
      if (inputs) {
        System.arraycopy(xs.getGradient().toFloatArray(), 0, inputGrad, 0, inputGrad.length);
        zeroGradients(clone);
      } else {
        clone.step();
      }
      return fit;
    }
  }

  /** Mean absolute difference of neighbours along each spatial axis (rows and columns; or time). */
  static NDArray totalVariation(NDArray x) {
    int rank = x.getShape().dimension();
    if (rank == 4) {
      NDArray dh = x.get(":, :, 1:, :").sub(x.get(":, :, :-1, :")).abs().mean();
      NDArray dw = x.get(":, :, :, 1:").sub(x.get(":, :, :, :-1")).abs().mean();
      return dh.add(dw);
    }
    if (rank == 3) {
      return x.get(":, :, 1:").sub(x.get(":, :, :-1")).abs().mean();
    }
    throw new IllegalArgumentException(
        "UnSplit's TV prior needs (N, C, H, W) or (N, C, L) inputs, got " + x.getShape());
  }

  /**
   * Drops the gradients an input step left on the clone's parameters (gradients accumulate in DJL).
   */
  private static void zeroGradients(PartModel clone) {
    for (Pair<String, Parameter> p : clone.block().getParameters()) {
      if (p.getValue().requiresGradient()) {
        try (NDArray g = p.getValue().getArray().getGradient()) {
          g.subi(g);
        }
      }
    }
  }

  /** One Adam update of the inputs in place, then the clamp to the data range. */
  private static void adam(
      float[] x, float[] g, float[] m, float[] v, int t, float lr, float lo, float hi) {
    double b1 = 0.9;
    double b2 = 0.999;
    double c1 = 1 - Math.pow(b1, t);
    double c2 = 1 - Math.pow(b2, t);
    for (int i = 0; i < x.length; i++) {
      m[i] = (float) (b1 * m[i] + (1 - b1) * g[i]);
      v[i] = (float) (b2 * v[i] + (1 - b2) * g[i] * g[i]);
      double step = lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
      x[i] = (float) Math.min(hi, Math.max(lo, x[i] - step));
    }
  }
}
