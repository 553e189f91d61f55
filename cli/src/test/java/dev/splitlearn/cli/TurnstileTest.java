package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's turn-taking and its profiling hook; the profile's per-operation sums. */
class TurnstileTest {
  @Test
  void theHookWrapsOneWholeTurnOfEachSideWhileTheOtherWaits() throws Exception {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger hookedSide = new AtomicInteger(-1);
    Turnstile.TurnHook hook =
        new Turnstile.TurnHook() {
          @Override
          public void begin(int side) {
            events.add("begin " + side);
            hookedSide.set(side);
          }

          @Override
          public void end(int side, long steps) {
            events.add("end " + side + " after " + steps);
            hookedSide.set(-1);
          }
        };
    Turnstile turns = new Turnstile(5, hook, 2);
    List<String> intrusions = Collections.synchronizedList(new ArrayList<>());
    runSides(
        turns,
        35,
        (side, k) -> {
          if (hookedSide.get() == 1 - side) {
            intrusions.add("side " + side + " stepped during the other's profiled turn");
          }
        });
    assertEquals(List.of(), intrusions);
    // each side's hooked turn begins and ends before the other's begins, side 0 first
    assertArrayEquals(
        new String[] {"begin 0", "end 0 after 5", "begin 1", "end 1 after 5"},
        events.toArray(String[]::new));
    assertTrue(turns.timedSteps(0) > 0 && turns.timedSteps(1) > 0);
  }

  @Test
  void eachSideIsChargedTheEngineTimeAndTasksOfItsOwnTurns() throws Exception {
    AtomicLong busy = new AtomicLong();
    AtomicLong tasks = new AtomicLong();
    Turnstile turns = new Turnstile(2, null, 0, busy::get, tasks::get);
    runSides(
        turns,
        12,
        (side, k) -> {
          if (side == 0) { // one engine task of 3 ms a step; side 1 runs none
            busy.addAndGet(3_000_000);
            tasks.incrementAndGet();
          }
        });
    assertEquals(10, turns.timedSteps(0)); // the first segment of 2 steps is not timed
    assertEquals(1.0, turns.engineTasksPerStep(0));
    assertEquals(0.003, turns.engineSecondsPerStep(0), 1e-12);
    assertEquals(0.0, turns.engineTasksPerStep(1), "side 0's tasks fall outside side 1's turns");
    assertEquals(0.0, turns.engineSecondsPerStep(1));
  }

  @Test
  void sideZeroTakesTheFirstTimedTurnEvenWhenSideOneIsFaster() throws Exception {
    // bench labels each pair with the side that went first: that must not depend on speed
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    Turnstile.TurnHook hook =
        new Turnstile.TurnHook() {
          @Override
          public void begin(int side) {
            events.add("begin " + side);
          }

          @Override
          public void end(int side, long steps) {}
        };
    Turnstile turns = new Turnstile(5, hook, 1);
    runSides(
        turns,
        20,
        (side, k) -> {
          if (side == 0 && k <= 5) {
            Thread.sleep(20); // side 1 ends its untimed first segment long before
          }
        });
    assertEquals(List.of("begin 0", "begin 1"), events);
    assertEquals(15, turns.timedSteps(0));
    assertEquals(15, turns.timedSteps(1));
  }

  /** What a side does before each of its steps. */
  private interface BeforeStep {
    void run(int side, int step) throws InterruptedException;
  }

  /** Runs two sides of {@code steps} steps through {@code turns}, each on a thread of its own. */
  private static void runSides(Turnstile turns, int steps, BeforeStep beforeStep)
      throws InterruptedException {
    Thread[] sides = new Thread[2];
    for (int s = 0; s < 2; s++) {
      int side = s;
      sides[s] =
          new Thread(
              () -> {
                try {
                  for (int k = 1; k <= steps; k++) {
                    beforeStep.run(side, k);
                    turns.step(side, k, steps);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      sides[s].start();
    }
    for (Thread t : sides) {
      t.join(10_000);
    }
  }

  @Test
  void profilesSumTopLevelOperationsPerStep(@TempDir Path dir) throws Exception {
    // A contains B (not counted again); C and a second A are top-level; a metadata event is ignored
    Path trace = dir.resolve("trace.json");
    Files.writeString(
        trace,
        """
        {"traceEvents": [
          {"name": "A", "ph": "X", "ts": 0, "dur": 100},
          {"name": "B", "ph": "X", "ts": 10, "dur": 50},
          {"name": "C", "ph": "X", "ts": 200, "dur": 30},
          {"name": "A", "ph": "X", "ts": 300, "dur": 140},
          {"name": "process_name", "ph": "M", "ts": 0}
        ]}
        """);
    OpProfile.Side side = OpProfile.read(trace, 2);
    Map<String, double[]> ops = side.perStep();
    assertEquals(List.of("A", "C"), List.copyOf(ops.keySet()), "largest first, B inside A");
    assertEquals(0.12, ops.get("A")[0], 1e-12, "240 us over 2 steps");
    assertEquals(1.0, ops.get("A")[1], 1e-12);
    assertEquals(0.015, ops.get("C")[0], 1e-12);
    assertEquals(0.5, ops.get("C")[1], 1e-12);
    assertEquals(0.22, side.spanMs(), 1e-12, "0 to 440 us over 2 steps");
    assertEquals(0.22 - 0.135, side.betweenMs(), 1e-12);
  }
}
