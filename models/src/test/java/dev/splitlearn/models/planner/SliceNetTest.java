package dev.splitlearn.models.planner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.models.planner.DeviceChain.Device;
import dev.splitlearn.models.planner.DeviceChain.Link;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/** SliceNet's dynamic programme against brute force, and its cost model on a hand-worked chain. */
class SliceNetTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  /** Every slicing, enumerated: the least time, or null when none fits. */
  private static SliceNet.Slicing bruteForce(
      List<StageCost> stages, long input, DeviceChain chain, int batch) {
    int m = chain.devices().size();
    int[] ends = new int[m];
    ends[m - 1] = stages.size();
    SliceNet.Slicing[] best = {null};
    enumerate(0, 0, ends, stages, input, chain, batch, best);
    return best[0];
  }

  private static void enumerate(
      int i,
      int from,
      int[] ends,
      List<StageCost> stages,
      long input,
      DeviceChain chain,
      int batch,
      SliceNet.Slicing[] best) {
    int m = ends.length;
    if (i == m - 1) {
      SliceNet.Slicing s = SliceNet.evaluate(stages, input, chain, batch, ends);
      if (s != null && (best[0] == null || s.secondsPerSample() < best[0].secondsPerSample())) {
        best[0] = s;
      }
      return;
    }
    for (int e = from; e <= stages.size(); e++) {
      ends[i] = e;
      enumerate(i + 1, e, ends, stages, input, chain, batch, best);
    }
  }

  @Property(tries = 300)
  void dynamicProgrammingEqualsBruteForce(
      @ForAll @IntRange(min = 1, max = 7) int stageCount,
      @ForAll @IntRange(min = 2, max = 5) int deviceCount,
      @ForAll @IntRange(min = 1, max = 128) int batch,
      @ForAll long seed) {
    Random r = new Random(seed);
    List<StageCost> stages = new ArrayList<>();
    for (int s = 0; s < stageCount; s++) {
      stages.add(
          new StageCost(
              "s" + s,
              (long) (r.nextDouble() * 5e7),
              r.nextInt(300_000),
              4L * (1 + r.nextInt(20_000))));
    }
    List<Device> devices = new ArrayList<>();
    List<Link> links = new ArrayList<>();
    for (int d = 0; d < deviceCount; d++) {
      boolean server = d == deviceCount - 1;
      double memory = server || r.nextInt(4) == 0 ? INF : r.nextDouble() * 1e7;
      double flops = server || r.nextInt(3) > 0 ? INF : r.nextDouble() * 1e8;
      devices.add(new Device("d" + d, Math.pow(10, 7 + 4 * r.nextDouble()), memory, flops));
      if (!server) {
        links.add(new Link(Math.pow(10, 5 + 4 * r.nextDouble()), r.nextDouble() * 0.1));
      }
    }
    DeviceChain chain = new DeviceChain(devices, links);
    long input = 4L * (1 + r.nextInt(5000));
    SliceNet.Slicing brute = bruteForce(stages, input, chain, batch);
    Statistics.collect(brute == null ? "no slicing fits" : "a slicing fits");
    if (brute == null) {
      assertThrows(
          IllegalArgumentException.class, () -> SliceNet.solve(stages, input, chain, batch));
      return;
    }
    SliceNet.Slicing dp = SliceNet.solve(stages, input, chain, batch);
    assertEquals(brute.secondsPerSample(), dp.secondsPerSample(), 1e-12 * brute.secondsPerSample());
    SliceNet.Slicing again = SliceNet.evaluate(stages, input, chain, batch, dp.ends());
    assertNotNull(again, "the DP's slicing meets every budget");
    assertEquals(again.secondsPerSample(), dp.secondsPerSample(), 0);
    assertTrue(dp.ends()[0] >= 1, "the data holder runs a stage");
  }

  @Test
  void costModelByHand() {
    // two stages of 1 MFLOP; phone at 1 GFLOP/s, server at 100 GFLOP/s; 1 Mbit/s, 10 ms; batch 10
    List<StageCost> stages =
        List.of(new StageCost("a", 1_000_000, 1000, 4000), new StageCost("b", 1_000_000, 10, 40));
    DeviceChain chain =
        new DeviceChain(
            List.of(new Device("phone", 1e9, INF, INF), new Device("server", 1e11, INF, INF)),
            List.of(new Link(1e6, 0.010)));
    SliceNet.Slicing one = SliceNet.evaluate(stages, 3136, chain, 10, new int[] {1, 2});
    // phone 3e6 / 1e9 = 3 ms; link 2 x 4000 x 8 / 1e6 = 64 ms + 2 x 10 ms / 10 = 2 ms; server 3e6 /
    // 1e11 = 0.03 ms
    assertEquals(0.003 + 0.064 + 0.002 + 0.00003, one.secondsPerSample(), 1e-12);
    assertEquals(16 * 1000 + 10 * 4000, one.shares().get(0).memoryBytes(), 0);
    SliceNet.Slicing two = SliceNet.evaluate(stages, 3136, chain, 10, new int[] {2, 2});
    // phone 6 ms; link 2 x 40 x 8 / 1e6 = 0.64 ms + 2 ms
    assertEquals(0.006 + 0.00064 + 0.002, two.secondsPerSample(), 1e-12);
    assertArrayEquals(new int[] {2, 2}, SliceNet.solve(stages, 3136, chain, 10).ends());
    assertEquals(
        null, SliceNet.evaluate(stages, 3136, chain, 10, new int[] {0, 2}), "raw inputs stay home");
  }

  @Test
  void budgetsBindAndErrorsNameTheStage() {
    List<StageCost> stages =
        List.of(
            new StageCost("conv1", 1_000_000, 1000, 4000),
            new StageCost("fc1", 1_000_000, 1_000_000, 40));
    // the phone affords 100 KB: conv1 (16 KB + 10 x 4 KB) fits, fc1 (16 MB) does not
    DeviceChain chain =
        new DeviceChain(
            List.of(new Device("phone", 1e9, 100_000, INF), new Device("server", 1e11, INF, INF)),
            List.of(new Link(1e6, 0.010)));
    assertArrayEquals(new int[] {1, 2}, SliceNet.solve(stages, 3136, chain, 10).ends());
    DeviceChain tiny =
        new DeviceChain(
            List.of(new Device("phone", 1e9, 1000, INF), new Device("server", 1e11, INF, INF)),
            List.of(new Link(1e6, 0.010)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SliceNet.solve(stages, 3136, tiny, 10));
    assertTrue(
        e.getMessage().contains("data holder phone cannot run the first stage conv1"),
        e.getMessage());
    DeviceChain small =
        new DeviceChain(
            List.of(
                new Device("phone", 1e9, 100_000, INF), new Device("server", 1e11, 1_000_000, INF)),
            List.of(new Link(1e6, 0.010)));
    e = assertThrows(IllegalArgumentException.class, () -> SliceNet.solve(stages, 3136, small, 10));
    assertTrue(e.getMessage().contains("no device can run stage(s) [fc1]"), e.getMessage());
  }
}
