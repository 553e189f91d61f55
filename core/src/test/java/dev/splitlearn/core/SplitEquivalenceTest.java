package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.kernels.EngineThreads;
import dev.splitlearn.core.party.Losses;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One split training step must equal one step of the unsplit model: same loss, and the same
 * gradient for every parameter. With plain SGD at learning rate 1 the update of each weight is its
 * gradient, so the split side's gradients are read as weight changes. Run single-threaded and with
 * 2 engine threads.
 */
class SplitEquivalenceTest {
  private static final long SEED = 7;
  private static final int BATCH = 16;
  private static final double TOLERANCE = 1e-6;

  @ParameterizedTest
  @CsvSource({
    "mnist-cnn, vanilla, 1",
    "mnist-cnn, u-shaped, 1",
    "ecg-cnn, vanilla, 1",
    "ecg-cnn, u-shaped, 1",
    "mnist-cnn, vanilla, 2",
    "mnist-cnn, u-shaped, 2",
    "ecg-cnn, vanilla, 2",
    "ecg-cnn, u-shaped, 2"
  })
  void splitStepMatchesUnsplitStep(String modelName, String protocol, int threads)
      throws Exception {
    int before = EngineThreads.get();
    EngineThreads.set(
        threads); // single-threaded the engine is deterministic, and a kernel defect shows every
    // time
    try {
      checkSplitStep(modelName, protocol);
    } finally {
      EngineThreads.set(before);
    }
  }

  private void checkSplitStep(String modelName, String protocol) throws Exception {
    long[] sampleShape =
        modelName.equals("mnist-cnn") ? new long[] {1, 28, 28} : new long[] {1, 128};
    int classes = modelName.equals("mnist-cnn") ? 10 : 5;
    ModelSpec spec = ModelZoo.get(modelName, sampleShape, classes);
    SplitPlan plan = spec.plan(Protocol.parse(protocol));
    Shape batchShape = new Shape(BATCH).addAll(spec.sampleShape());
    float[] x = Fixtures.randomBatch(batchShape, 1);
    int[] labels = Fixtures.randomLabels(BATCH, classes, 2);
    OptimizerSpec sgd = new OptimizerSpec("sgd", 1f, 0, 0, "constant", 1);

    float unsplitLoss;
    List<NamedTensor> unsplitGrads;
    try (PartModel whole = new PartModel("whole", spec, 0, spec.stages().size(), SEED, sgd);
        NDManager scope = whole.newScope()) {
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray loss =
            Losses.crossEntropy(whole.forward(scope.create(x, batchShape), true), labels);
        gc.backward(loss);
        unsplitLoss = loss.getFloat();
      }
      unsplitGrads = whole.gradients();
    }

    float splitLoss;
    List<float[]> splitGrads = new ArrayList<>();
    try (SplitServerRuntime server = Fixtures.server(plan, SEED, sgd, null);
        SplitClient client = Fixtures.joinedClient(server, plan, SEED, sgd, null)) {
      List<NamedTensor> before = splitOrder(client, server);
      splitLoss = client.trainStep(0, x, batchShape, labels);
      List<NamedTensor> after = splitOrder(client, server);
      for (int i = 0; i < before.size(); i++) {
        float[] w0 = before.get(i).tensor().data();
        float[] w1 = after.get(i).tensor().data();
        float[] g = new float[w0.length];
        for (int j = 0; j < g.length; j++) {
          g[j] = w0[j] - w1[j];
        }
        splitGrads.add(g);
      }
    }

    assertEquals(unsplitLoss, splitLoss, TOLERANCE, "loss");
    assertEquals(unsplitGrads.size(), splitGrads.size(), "number of parameters");
    double worst = 0;
    for (int i = 0; i < splitGrads.size(); i++) {
      float[] expected = unsplitGrads.get(i).tensor().data();
      float[] actual = splitGrads.get(i);
      assertEquals(expected.length, actual.length, unsplitGrads.get(i).name());
      worst = Math.max(worst, maxAbsDiff(expected, actual));
      assertTrue(
          maxAbs(expected) > 0, "gradient of " + unsplitGrads.get(i).name() + " is all zero");
    }
    assertTrue(worst <= TOLERANCE, "max abs gradient difference " + worst + " > " + TOLERANCE);
  }

  /** Parameters in model order: extractor, cloud, classifier. */
  private static List<NamedTensor> splitOrder(SplitClient client, SplitServerRuntime server) {
    List<NamedTensor> all = new ArrayList<>(client.extractor().weights());
    all.addAll(server.cloud().weights());
    if (client.classifier() != null) {
      all.addAll(client.classifier().weights());
    }
    return all;
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }

  private static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
