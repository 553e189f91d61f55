package dev.splitlearn.core.party;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.splitlearn.core.defense.ActivationDp;
import dev.splitlearn.core.kernels.EngineThread;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Gradients of our graph arithmetic do not depend on what happens to Java memory between the
 * forward and the backward pass. DJL's Number overloads ({@code mul(2f)}, {@code maximum(c)}) left
 * libtorch's graph pointing into freed direct buffers, so a garbage collection and a few new
 * buffers in between changed the gradient (Inf, or 1e-9 of it); see {@link Tensors#scalar}.
 */
class GraphScalarsTest {
  private static final int ROUNDS = 40;

  /**
   * Gradient of {@code loss(x, z)} in z at fixed x and z, ROUNDS times, Java garbage churned in
   * between.
   */
  private static List<float[]> gradients(BinaryOperator<NDArray> loss) {
    Random r = new Random(3);
    int n = 16;
    float[] x = new float[n * 8];
    float[] z = new float[n * 8];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
      z[i] = (float) (0.5 * x[i] + r.nextGaussian());
    }
    List<float[]> out = new ArrayList<>();
    for (int k = 0; k < ROUNDS; k++) {
      out.add(
          EngineThread.call(
              () -> {
                try (NDManager m = NDManager.newBaseManager()) {
                  NDArray xs = m.create(x, new Shape(n, 8));
                  NDArray zs = m.create(z, new Shape(n, 8));
                  zs.setRequiresGradient(true);
                  NDArray l;
                  try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    l = loss.apply(xs, zs);
                  }
                  churn();
                  try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(l);
                  }
                  return zs.getGradient().toFloatArray();
                }
              }));
    }
    return out;
  }

  /** Frees unreachable direct buffers and reuses their memory for a sentinel value. */
  private static void churn() {
    System.gc();
    try {
      Thread.sleep(5); // the cleaner thread frees the buffers' memory
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<ByteBuffer> keep = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      keep.add(ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putFloat(0, 1e30f));
    }
    keep.clear();
  }

  private static void assertAllEqual(List<float[]> grads, String what) {
    float[] first = grads.get(0);
    for (int k = 1; k < grads.size(); k++) {
      float[] g = grads.get(k);
      for (int i = 0; i < g.length; i++) {
        assertEquals(
            first[i],
            g[i],
            1e-6f * Math.max(1, Math.abs(first[i])),
            what + ": round " + k + ", entry " + i);
      }
    }
  }

  @Test
  void noPeekTermGradientIsTheSameEveryTime() {
    assertAllEqual(
        gradients(
            (x, z) -> DistanceCorrelation.squared(x, z).mul(Tensors.scalar(z.getManager(), 5f))),
        "alpha dCor^2");
  }

  @Test
  void activationClippingGradientIsTheSameEveryTime() {
    assertAllEqual(gradients((x, z) -> ActivationDp.clip(z, 1f).square().sum()), "clip to norm 1");
  }

  @Test
  void
      crossEntropyGradientIsTheSameEveryTime() { // the loss of every training step (DJL's, wrapped)
    int[] labels = new int[16];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 8;
    }
    assertAllEqual(gradients((x, z) -> Losses.crossEntropy(z, labels)), "cross-entropy");
  }

  /** The check above can fail: DJL's own Number overload, the pattern we removed, does. */
  @Test
  void djlNumberOverloadInAGraphIsCorruptedByTheSameChurn() {
    List<float[]> grads = gradients((x, z) -> z.mul(3f).sum());
    boolean differs = false;
    for (float[] g : grads) {
      differs |= g[0] != 3f;
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        differs,
        "this DJL/JVM did not reuse the freed scalar's memory in "
            + ROUNDS
            + " rounds (nothing to show)");
    System.out.println(
        "GraphScalarsTest: DJL's mul(3f) gave a wrong gradient after churn, as expected");
  }
}
