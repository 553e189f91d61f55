package dev.splitlearn.cli;

import dev.splitlearn.core.kernels.EngineThread;
import java.util.function.LongSupplier;

/**
 * Lets two trainings of one epoch each take turns on the engine, {@code segment} steps at a time,
 * and times each only while it has the turn, so that both see the same machine (a slow minute of a
 * noisy host slows both, not one). The first segment of each side is not timed (it overlaps the
 * other side's start and pays the first step's warm-up); once both have run it, side 0 takes the
 * first timed turn (before, whichever side reached the end of its first segment first did, which
 * was always the faster one). A side that finishes waits for the other, so its evaluation does not
 * run beside the other's steps. Within the timed turns it also sums the engine thread's busy time
 * and tasks, to tell a step's engine time from the time spent outside the engine. Call {@link
 * #step} from each training's step listener, on its own thread.
 */
final class Turnstile {
  /** Runs around one turn of each side (bench --profile), outside the timed intervals. */
  interface TurnHook {
    void begin(int side);

    /** The hooked turn of {@code side} ended after {@code steps} steps. */
    void end(int side, long steps);
  }

  private final int segment;
  private final LongSupplier engineBusyNanos;
  private final LongSupplier engineTasks;
  private final TurnHook hook;
  private final int hookedTurn;
  private final int[] turns = new int[2];
  private final boolean[] hooked = new boolean[2];
  private int turn;
  private final boolean[] done = new boolean[2];
  private final boolean[] started = new boolean[2];
  private final int[] count = new int[2];
  private final long[] since = new long[2];
  private final long[] sinceCount = new long[2];
  private final long[] nanos = new long[2];
  private final long[] timedSteps = new long[2];
  private final long[] engineSince = new long[2];
  private final long[] tasksSince = new long[2];
  private final long[] engineNanos = new long[2];
  private final long[] tasksTimed = new long[2];

  Turnstile(int segment) {
    this(segment, null, 0);
  }

  /** As above, with {@code hook} run around the {@code hookedTurn}-th timed turn of each side. */
  Turnstile(int segment, TurnHook hook, int hookedTurn) {
    this(segment, hook, hookedTurn, EngineThread::busyNanos, EngineThread::tasks);
  }

  /**
   * As above, reading the engine thread's busy time and task count, which only grow, from the two
   * suppliers where a timed turn starts and ends.
   */
  Turnstile(
      int segment,
      TurnHook hook,
      int hookedTurn,
      LongSupplier engineBusyNanos,
      LongSupplier engineTasks) {
    if (segment < 1) {
      throw new IllegalArgumentException("--segment must be >= 1, got " + segment);
    }
    this.segment = segment;
    this.engineBusyNanos = engineBusyNanos;
    this.engineTasks = engineTasks;
    this.hook = hook;
    this.hookedTurn = hookedTurn;
  }

  /** Side {@code side} (0 or 1) finished step {@code k} of {@code total}. */
  synchronized void step(int side, long k, long total) throws InterruptedException {
    count[side]++;
    boolean last = k == total;
    if (count[side] % segment != 0 && !last) {
      return;
    }
    long now = System.nanoTime();
    if (since[side] != 0) {
      nanos[side] += now - since[side];
      timedSteps[side] += count[side] - sinceCount[side];
      engineNanos[side] += engineBusyNanos.getAsLong() - engineSince[side];
      tasksTimed[side] += engineTasks.getAsLong() - tasksSince[side];
      if (hooked[side]) { // before the other side may run
        hooked[side] = false;
        hook.end(side, count[side] - sinceCount[side]);
      }
    }
    done[side] |= last;
    if (started[side]) {
      turn = 1 - side; // hand over after a timed turn; after the first segment turn stays at 0
    }
    started[side] = true;
    notifyAll();
    int other = 1 - side;
    while (done[side] ? !done[other] : (turn != side || !started[other]) && !done[other]) {
      wait();
    }
    if (!done[side]) {
      if (hook != null && ++turns[side] == hookedTurn) {
        hooked[side] = true;
        hook.begin(side);
      }
      engineSince[side] = engineBusyNanos.getAsLong();
      tasksSince[side] = engineTasks.getAsLong();
      since[side] = System.nanoTime();
      sinceCount[side] = count[side];
    }
  }

  /** Mean seconds per timed step of {@code side}. */
  synchronized double secondsPerStep(int side) {
    if (timedSteps[side] == 0) {
      throw new IllegalStateException(
          "no timed steps: the epoch needs more than two segments of "
              + segment
              + " steps (lower --segment or raise --limit)");
    }
    return nanos[side] / 1e9 / timedSteps[side];
  }

  /**
   * Mean seconds per timed step of {@code side} that the engine thread spent running tasks (only
   * one side runs at a time, so the engine's work in a turn is that side's, its server's included).
   */
  synchronized double engineSecondsPerStep(int side) {
    return timedSteps[side] == 0 ? Double.NaN : engineNanos[side] / 1e9 / timedSteps[side];
  }

  /** Mean engine tasks per timed step of {@code side}: each is a hand-over between threads. */
  synchronized double engineTasksPerStep(int side) {
    return timedSteps[side] == 0 ? Double.NaN : (double) tasksTimed[side] / timedSteps[side];
  }

  /** Steps timed on {@code side}. */
  synchronized long timedSteps(int side) {
    return timedSteps[side];
  }
}
