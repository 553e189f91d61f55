package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.splitlearn.core.client.ClientConfig;
import dev.splitlearn.core.client.ClientEpoch;
import dev.splitlearn.core.client.ClientListener;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.client.SplitClientRuntime;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.DistanceCorrelation;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.InProcessTransport;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * NoPeek's distance correlation on the engine matches the plain-Java reference, and the defense
 * lowers it.
 */
class NoPeekTest {
  private static final SplitPlan PLAN =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5).plan(Protocol.U_SHAPED);
  private static final OptimizerSpec ADAM = OptimizerSpec.adam(0.003f);

  @Test
  void engineValueMatchesTheReferenceAndHasAGradient() {
    Random r = new Random(5);
    int n = 16;
    float[] x = new float[n * 10];
    float[] z = new float[n * 6];
    double[][] xd = new double[n][10];
    double[][] zd = new double[n][6];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 10; k++) {
        xd[i][k] = x[i * 10 + k] = (float) r.nextGaussian();
      }
      for (int k = 0; k < 6; k++) {
        zd[i][k] = z[i * 6 + k] = (float) (0.5 * xd[i][k] + r.nextGaussian());
      }
    }
    double expected = dev.splitlearn.privacy.Leakage.distanceCorrelation(xd, zd);
    float[] got = new float[1];
    float[] gradNorm = new float[1];
    EngineThread.run(
        () -> {
          try (NDManager m = NDManager.newBaseManager()) {
            NDArray xs = m.create(x, new Shape(n, 10));
            NDArray zs = m.create(z, new Shape(n, 6));
            zs.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDArray d2 = DistanceCorrelation.squared(xs, zs);
              got[0] = d2.getFloat();
              gc.backward(d2);
            }
            gradNorm[0] = zs.getGradient().norm().getFloat();
          }
        });
    assertEquals(expected, Math.sqrt(got[0]), 1e-4);
    assertTrue(gradNorm[0] > 0 && Float.isFinite(gradNorm[0]), "gradient " + gradNorm[0]);
  }

  private static double lastEpochLeakage(float alpha) throws Exception {
    try (SplitServerRuntime server = Fixtures.server(PLAN, 2, ADAM, null);
        SplitClient c = new SplitClient(0, PLAN, 2, ADAM, new InProcessTransport(server))) {
      List<ClientEpoch> epochs =
          new SplitClientRuntime(
                  c,
                  Fixtures.waves(256, 1),
                  null,
                  new ClientConfig(
                      ADAM,
                      32,
                      2,
                      Augmentation.NONE,
                      Compression.FLOAT32,
                      false,
                      null,
                      false,
                      alpha),
                  ClientListener.NONE)
              .run();
      return epochs.get(epochs.size() - 1).distanceCorrelation();
    }
  }

  @Test
  void noPeekLowersTheDistanceCorrelationOfInputsAndActivations() throws Exception {
    double without = lastEpochLeakage(0);
    double with = lastEpochLeakage(5);
    assertTrue(without > 0 && without <= 1, "dCor without the defense " + without);
    assertTrue(with < without, "NoPeek (alpha 5) " + with + " vs without " + without);
    System.out.printf(
        "NoPeekTest: dCor(X, A) after one epoch: %.4f without, %.4f with alpha 5%n", without, with);
  }
}
