package dev.splitlearn.crowd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.Fixtures;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.crowd.CrowdSimulation.Kind;
import dev.splitlearn.crowd.CrowdSimulation.Result;
import dev.splitlearn.data.Dataset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Small crowds of ecg-cnn on synthetic waves: seconds per run. */
class CrowdSimulationTest {
  private static final Dataset TRAIN = Fixtures.waves(400, 1);
  private static final Dataset TEST = Fixtures.waves(100, 2);

  private static CrowdConfig config(Map<String, Object> extra) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", "ecg-cnn");
    m.put("devices", 10);
    m.put("samples-per-device", 20);
    m.put("devices-per-round", 4);
    m.put("rounds", 3);
    m.put("batch", 10);
    m.put("eval-every", 1);
    m.put("lr", 0.1);
    m.put("device", Map.of("dropout", Map.of("distribution", "uniform", "min", 0, "max", 0.5)));
    m.putAll(extra);
    return CrowdConfig.parse(m, "test");
  }

  @Test
  void sameSeedGivesTheSameTraceAndAccuracy() {
    CrowdConfig c = config(Map.of());
    for (Kind kind : Kind.values()) {
      Result a = new CrowdSimulation(c, Crowd.of(c, TRAIN), TEST).run(kind, s -> {});
      Result b = new CrowdSimulation(c, Crowd.of(c, TRAIN), TEST).run(kind, s -> {});
      assertEquals(a.trace(), b.trace(), kind + " trace");
      assertEquals(a.points(), b.points(), kind + " points");
      assertEquals(4, a.points().size());
      assertTrue(a.points().get(3).simulatedSeconds() > a.points().get(1).simulatedSeconds());
      for (int i = 1; i < a.trace().size(); i++) {
        assertTrue(a.trace().get(i).time() >= a.trace().get(i - 1).time(), "events in time order");
      }
      CrowdConfig other = config(Map.of("seed", 2));
      Result d = new CrowdSimulation(other, Crowd.of(other, TRAIN), TEST).run(kind, s -> {});
      assertFalse(a.trace().equals(d.trace()), "another seed, another trace");
    }
  }

  private static Crowd handMade(List<DeviceProfile> devices, Dataset train) {
    int[][] shards = new int[devices.size()][];
    for (int d = 0; d < shards.length; d++) {
      shards[d] = java.util.stream.IntStream.range(d * 20, d * 20 + 20).toArray();
    }
    return new Crowd(devices, shards, train, 1);
  }

  /**
   * Seconds between the first event of kind {@code from} and the next of kind {@code to} of device
   * {@code d}.
   */
  private static double between(Result r, int d, String from, String to) {
    double start = Double.NaN;
    for (VirtualClock.Event e : r.trace()) {
      if (e.device() == d && e.kind().equals(from) && Double.isNaN(start)) {
        start = e.time();
      } else if (e.device() == d && e.kind().equals(to) && !Double.isNaN(start)) {
        return e.time() - start;
      }
    }
    throw new AssertionError("no " + from + " then " + to + " for device " + d);
  }

  @Test
  void halfTheUplinkTakesTwiceAsLongToUpload() {
    CrowdConfig c = config(Map.of("devices", 2, "devices-per-round", 2, "rounds", 1));
    Crowd crowd =
        handMade(
            List.of(
                new DeviceProfile(0, 1e9, 8e6, 8e6, 0, 0),
                new DeviceProfile(1, 1e9, 4e6, 8e6, 0, 0)),
            TRAIN);
    CrowdSimulation sim = new CrowdSimulation(c, crowd, TEST);
    CrowdSimulation.Costs costs = sim.costs();
    Result split = sim.run(Kind.SPLIT, s -> {});
    double fast = between(split, 0, "client-forward", "activations-up");
    double slow = between(split, 1, "client-forward", "activations-up");
    long bytes = 10 * (costs.activationBytesPerSample() + Integer.BYTES);
    assertEquals(bytes * 8 / 8e6, fast, 1e-12);
    assertEquals(2 * fast, slow, 1e-12);
    Result fedavg = sim.run(Kind.FEDAVG, s -> {});
    double fastModel = between(fedavg, 0, "local-training", "model-up");
    assertEquals(costs.modelBytes() * 8 / 8e6, fastModel, 1e-12);
    assertEquals(2 * fastModel, between(fedavg, 1, "local-training", "model-up"), 1e-12);
    // compute is charged from FLOPs: 3 forward passes per sample over 20 samples, 1 GFLOP/s
    assertEquals(
        3.0 * 20 * costs.modelFlopsPerSample() / 1e9,
        between(fedavg, 0, "model-down", "local-training"),
        1e-12);
  }

  @Test
  void aDroppedDevicesUpdateIsNotApplied() {
    CrowdConfig c = config(Map.of("devices", 2, "devices-per-round", 2, "rounds", 1));
    List<DeviceProfile> devices =
        List.of(
            new DeviceProfile(0, 1e9, 8e6, 8e6, 0.01, 1),
            new DeviceProfile(1, 1e9, 8e6, 8e6, 0.01, 0));
    Result withData =
        new CrowdSimulation(c, handMade(devices, TRAIN), TEST).run(Kind.FEDAVG, s -> {});
    // the dropped device 0 holds other samples: if its update counted, the average would change
    Dataset shuffled =
        TRAIN.subset(java.util.stream.IntStream.range(0, 400).map(i -> (i + 200) % 400).toArray());
    int[][] shards = {
      java.util.stream.IntStream.range(0, 20).toArray(),
      java.util.stream.IntStream.range(220, 240).toArray()
    }; // device 1: the same samples as before
    Result otherData =
        new CrowdSimulation(c, new Crowd(devices, shards, shuffled, 1), TEST)
            .run(Kind.FEDAVG, s -> {});
    CrowdSimulation.Point last = withData.points().get(withData.points().size() - 1);
    assertEquals(1, last.dropouts());
    assertEquals(1, last.updatesApplied());
    assertTrue(java.util.Arrays.deepEquals(withData.globalWeights(), otherData.globalWeights()));
    float[][] initial = initialWeights(c, 0, 3);
    assertFalse(
        java.util.Arrays.deepEquals(initial, withData.globalWeights()),
        "device 1's update applied");
  }

  @Test
  void whenEveryoneDropsTheClientPartStaysAsItWas() {
    CrowdConfig c =
        config(
            Map.of(
                "devices", 4, "devices-per-round", 4, "rounds", 2, "device", Map.of("dropout", 1)));
    Result r = new CrowdSimulation(c, Crowd.of(c, TRAIN), TEST).run(Kind.SPLIT, s -> {});
    CrowdSimulation.Point last = r.points().get(r.points().size() - 1);
    assertEquals(8, last.dropouts());
    assertEquals(0, last.updatesApplied());
    float[][] initial = initialWeights(c, 0, 2); // ecg-cnn cut after conv2: the client part
    assertEquals(initial.length, r.globalWeights().length);
    for (int i = 0; i < initial.length; i++) {
      assertArrayEquals(initial[i], r.globalWeights()[i]);
    }
  }

  private static float[][] initialWeights(CrowdConfig c, int from, int to) {
    CrowdSimulation sim =
        new CrowdSimulation(c, handMade(List.of(new DeviceProfile(0, 1, 1, 1, 0, 0)), TRAIN), TEST);
    PartModel part =
        PartModel.create("x", sim.plan().model(), from, to, c.seed(), OptimizerSpec.adam(0.1f));
    try {
      return EngineThread.call(() -> new Weights(part).read(part));
    } finally {
      EngineThread.run(part::close);
    }
  }
}
