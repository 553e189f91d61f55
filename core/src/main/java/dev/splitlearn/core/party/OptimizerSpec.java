package dev.splitlearn.core.party;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Locale;

/**
 * How each party builds its optimizer: algorithm, learning rate and schedule. Every party gets its
 * own instance (own moments), since parties never share state.
 *
 * @param algorithm {@code sgd} or {@code adam}
 * @param learningRate base learning rate, &gt; 0
 * @param momentum SGD momentum in [0, 1)
 * @param weightDecay L2 weight decay, &gt;= 0
 * @param schedule {@code constant} or {@code cosine} (decays to 1% of the base over totalSteps)
 * @param totalSteps optimizer steps of the whole run, for the schedule
 */
public record OptimizerSpec(
    String algorithm,
    float learningRate,
    float momentum,
    float weightDecay,
    String schedule,
    int totalSteps) {

  public OptimizerSpec {
    algorithm = algorithm.toLowerCase(Locale.ROOT);
    schedule = schedule.toLowerCase(Locale.ROOT);
    if (!algorithm.equals("sgd") && !algorithm.equals("adam")) {
      throw new IllegalArgumentException(
          "unknown optimizer '" + algorithm + "'; expected sgd or adam");
    }
    if (!schedule.equals("constant") && !schedule.equals("cosine")) {
      throw new IllegalArgumentException(
          "unknown learning-rate schedule '" + schedule + "'; expected constant or cosine");
    }
    if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
    }
    if (momentum < 0 || momentum >= 1) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    if (weightDecay < 0) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
  }

  /** Adam with a constant learning rate. */
  public static OptimizerSpec adam(float learningRate) {
    return new OptimizerSpec("adam", learningRate, 0, 0, "constant", 1);
  }

  /** Returns a copy whose schedule spans {@code steps} optimizer steps. */
  public OptimizerSpec withTotalSteps(int steps) {
    return new OptimizerSpec(
        algorithm, learningRate, momentum, weightDecay, schedule, Math.max(1, steps));
  }

  /** Builds a fresh optimizer. */
  public Optimizer build() {
    Tracker lr =
        schedule.equals("cosine")
            ? Tracker.cosine()
                .setBaseValue(learningRate)
                .optFinalValue(learningRate / 100)
                .setMaxUpdates(totalSteps)
                .build()
            : Tracker.fixed(learningRate);
    if (algorithm.equals("adam")) {
      return Optimizer.adam().optLearningRateTracker(lr).optWeightDecays(weightDecay).build();
    }
    return Optimizer.sgd()
        .setLearningRateTracker(lr)
        .optMomentum(momentum)
        .optWeightDecays(weightDecay)
        .build();
  }
}
