package dev.splitlearn.core.server;

import dev.splitlearn.core.defense.GradientDp;
import dev.splitlearn.core.party.CheckpointStore;
import dev.splitlearn.core.protocol.Schedule;
import java.time.Duration;

/**
 * How the server runs a training.
 *
 * @param clients clients of the run, with ids 0 .. clients-1
 * @param schedule sequential (turns) or parallel (SplitFed rounds)
 * @param epochs epochs to train
 * @param syncEvery parallel: steps between client-side weight averages; 0: never average, each
 *     client keeps its own parts (clients of different tasks sharing one cloud model, {@link
 *     #multitask})
 * @param ordered parallel: admit the clients' steps in a fixed order (step k of client 0, of client
 *     1, ..., then step k+1), so the same seed gives the same numbers whatever the timing
 * @param waitTimeout longest wait at a barrier, turn or admission before the request fails
 * @param checkpoints where the server checkpoints after every epoch, or null
 * @param resume start from the checkpoint in {@code checkpoints}
 * @param gradientDp clipping and noise of the gradient returned in vanilla training, or null for
 *     none
 */
public record ServerConfig(
    int clients,
    Schedule schedule,
    int epochs,
    int syncEvery,
    boolean ordered,
    Duration waitTimeout,
    CheckpointStore checkpoints,
    boolean resume,
    GradientDp gradientDp) {
  /** A server that returns gradients as computed. */
  public ServerConfig(
      int clients,
      Schedule schedule,
      int epochs,
      int syncEvery,
      boolean ordered,
      Duration waitTimeout,
      CheckpointStore checkpoints,
      boolean resume) {
    this(clients, schedule, epochs, syncEvery, ordered, waitTimeout, checkpoints, resume, null);
  }

  public ServerConfig {
    if (clients < 1) {
      throw new IllegalArgumentException("clients must be >= 1, got " + clients);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
    if (syncEvery < 0 || syncEvery == 0 && schedule != Schedule.PARALLEL) {
      throw new IllegalArgumentException(
          "sync-every must be >= 1 (or 0, never, in the parallel schedule), got " + syncEvery);
    }
    if (waitTimeout.isNegative() || waitTimeout.isZero()) {
      throw new IllegalArgumentException("wait timeout must be positive, got " + waitTimeout);
    }
    if (resume && checkpoints == null) {
      throw new IllegalArgumentException("resume needs a checkpoint store");
    }
  }

  /**
   * A multi-task run: clients of different tasks train in parallel on one shared cloud model, steps
   * admitted in a fixed order, and never average their own parts (they differ in shape and
   * meaning).
   */
  public static ServerConfig multitask(int clients, int epochs, Duration waitTimeout) {
    return new ServerConfig(clients, Schedule.PARALLEL, epochs, 0, true, waitTimeout, null, false);
  }

  /**
   * Whether clients keep their own parts (parallel with {@code syncEvery} 0): no weight exchange at
   * all.
   */
  public boolean privateClientParts() {
    return syncEvery == 0;
  }
}
