package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.Shape;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every step releases what it allocates: the native arrays alive on each party stay constant. */
class MemoryScopeTest {
  @ParameterizedTest
  @EnumSource(Protocol.class)
  void liveArraysStayConstantOverSteps(Protocol protocol) throws Exception {
    ModelSpec spec = ModelZoo.get("mnist-cnn", new long[] {1, 28, 28}, 10);
    SplitPlan plan = spec.plan(protocol);
    OptimizerSpec adam = OptimizerSpec.adam(1e-3f);
    Shape shape = new Shape(8, 1, 28, 28);
    try (SplitServerRuntime server = Fixtures.server(plan, 1, adam, null);
        SplitClient client = Fixtures.joinedClient(server, plan, 1, adam, null)) {
      for (int step = 0; step < 3; step++) { // the optimizer creates its state on the first steps
        client.trainStep(
            step, Fixtures.randomBatch(shape, step), shape, Fixtures.randomLabels(8, 10, step));
      }
      int[] before = live(client, server);
      for (int step = 3; step < 23; step++) {
        client.trainStep(
            step, Fixtures.randomBatch(shape, step), shape, Fixtures.randomLabels(8, 10, step));
        client.predict(step, Fixtures.randomBatch(shape, 100 + step), shape);
      }
      int[] after = live(client, server);
      assertEquals(before[0], after[0], "client extractor arrays");
      assertEquals(before[1], after[1], "server arrays");
      assertEquals(before[2], after[2], "client classifier arrays");
      // and the count does see an array that a step forgot to release
      try (ai.djl.ndarray.NDManager forgotten = client.extractor().newScope()) {
        forgotten.create(new float[] {1f});
        assertEquals(before[0] + 1, client.extractor().liveArrays(), "a leaked array is counted");
      }
    }
  }

  static int[] live(SplitClient client, SplitServerRuntime server) {
    return new int[] {
      client.extractor().liveArrays(),
      server.cloud().liveArrays(),
      client.classifier() == null ? 0 : client.classifier().liveArrays()
    };
  }
}
