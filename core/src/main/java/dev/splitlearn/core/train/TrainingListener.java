package dev.splitlearn.core.train;

/** Progress callbacks of a run (for progress bars and logs). */
public interface TrainingListener {
  /** Called after each training step of any client. */
  default void onStep(String phase, int epoch, long done, long total, float loss) {}

  /** Called after each epoch with its figures. */
  default void onEpoch(EpochStats stats) {}

  /** A listener that does nothing. */
  TrainingListener NONE = new TrainingListener() {};
}
