package dev.splitlearn.core.kernels;

import dev.splitlearn.models.ConvLayer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntToDoubleFunction;

/**
 * Runs convolutions on a kernel (the engine) and compares y, dx and dw with {@link
 * ReferenceConvolution} on seeded inputs. Small layers are compared element for element; in a large
 * one a seeded sample of elements is, and every element is checked to be finite.
 */
public final class KernelSelfTest {
  /** Largest relative error a kernel may show (float32 accumulation stays near 1e-6). */
  public static final double TOLERANCE = 1e-4;

  /** Batch of every check: the defect this guards against needs at least 2. */
  public static final int BATCH = 2;

  /** Multiply-adds a full comparison of one tensor may cost before elements are sampled. */
  static final long FULL_CHECK_BUDGET = 50_000;

  /** Elements compared per tensor when sampling. */
  static final int SAMPLE = 160;

  private final ConvolutionKernel kernel;

  /** A self-test of {@code kernel}. */
  public KernelSelfTest(ConvolutionKernel kernel) {
    this.kernel = kernel;
  }

  /**
   * Shapes oneDNN 3.7 computed wrong input gradients for on an AMD CPU whose cache sizes the
   * hypervisor hid: out-channels not a multiple of the vector block, kernels wider than 1.
   */
  public static List<ConvLayer> knownBadShapes() {
    return List.of(
        ConvLayer.same("known-bad", 4, 6, new int[] {16}, 3),
        ConvLayer.same("known-bad", 4, 8, new int[] {16}, 5),
        ConvLayer.same("known-bad", 4, 24, new int[] {16}, 3),
        ConvLayer.same("known-bad", 3, 6, new int[] {6, 6}, 5));
  }

  /** Distinct shapes of {@code layers}, the first occurrence of each. */
  public static List<ConvLayer> distinctShapes(List<ConvLayer> layers) {
    Set<String> seen = new LinkedHashSet<>();
    List<ConvLayer> out = new ArrayList<>();
    for (ConvLayer l : layers) {
      if (seen.add(l.shapeKey())) {
        out.add(l);
      }
    }
    return out;
  }

  /**
   * Checks one layer at each of {@code threadCounts} engine threads (set for the calling thread and
   * restored after), against one reference computation.
   *
   * @param oneDnn whether oneDNN is on (recorded only)
   * @return one check per thread count, in order
   */
  public List<KernelCheck> check(
      ConvLayer layer, String origin, boolean oneDnn, int... threadCounts) {
    ConvData d = ConvData.random(layer, BATCH, layer.shapeKey().hashCode());
    // the reference runs on another core while the engine computes (the self-test's cost is paid at
    // every start)
    CompletableFuture<Comparison[]> expected =
        CompletableFuture.supplyAsync(
            () -> {
              ReferenceConvolution ref = ReferenceConvolution.of(d);
              return new Comparison[] {
                new Comparison(ref.outputSize(), ref.costPerElement('y'), ref::y, 1),
                new Comparison(ref.inputSize(), ref.costPerElement('x'), ref::dx, 2),
                new Comparison(ref.weightSize(), ref.costPerElement('w'), ref::dw, 3)
              };
            });
    List<ConvOutputs> outputs =
        EngineThread.call(
            () -> { // thread counts are per thread: switch them there
              List<ConvOutputs> out = new ArrayList<>();
              int before = EngineThreads.get();
              try {
                for (int t : threadCounts) {
                  if (t != EngineThreads.get()) {
                    EngineThreads.set(t);
                  }
                  out.add(kernel.run(layer, BATCH, d.x(), d.w(), d.b(), d.dy()));
                }
              } finally {
                if (EngineThreads.get() != before) {
                  EngineThreads.set(before);
                }
              }
              return out;
            });
    Comparison[] c = expected.join();
    Comparison y = c[0];
    Comparison dx = c[1];
    Comparison dw = c[2];
    List<KernelCheck> out = new ArrayList<>();
    for (int i = 0; i < threadCounts.length; i++) {
      ConvOutputs got = outputs.get(i);
      out.add(
          new KernelCheck(
              layer,
              origin,
              threadCounts[i],
              oneDnn,
              y.error(got.y()),
              dx.error(got.dx()),
              dw.error(got.dw()),
              y.indexes.length + dx.indexes.length + dw.indexes.length));
    }
    return out;
  }

  /** The reference values of one tensor at the elements to check: all, or a seeded sample. */
  private static final class Comparison {
    final int size;
    final int[] indexes;
    final double[] expected;

    Comparison(int size, long cost, IntToDoubleFunction reference, long salt) {
      this.size = size;
      if ((long) size * cost <= FULL_CHECK_BUDGET) {
        indexes = new int[size];
        for (int i = 0; i < size; i++) {
          indexes[i] = i;
        }
      } else {
        SplittableRandom r = new SplittableRandom(size * 31L + salt);
        indexes = new int[SAMPLE];
        indexes[0] = 0;
        indexes[1] = size - 1;
        for (int i = 2; i < SAMPLE; i++) {
          indexes[i] = r.nextInt(size);
        }
      }
      expected = new double[indexes.length];
      for (int i = 0; i < indexes.length; i++) {
        expected[i] = reference.applyAsDouble(indexes[i]);
      }
    }

    /**
     * Largest difference relative to the largest expected value; NaN for a non-finite or missing
     * value.
     */
    double error(float[] got) {
      if (got.length != size) {
        return Double.NaN;
      }
      for (float v : got) {
        if (!Float.isFinite(v)) {
          return Double.NaN;
        }
      }
      double maxDiff = 0;
      double maxRef = 0;
      for (int i = 0; i < indexes.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(got[indexes[i]] - expected[i]));
        maxRef = Math.max(maxRef, Math.abs(expected[i]));
      }
      return maxDiff / Math.max(maxRef, 1e-30);
    }
  }
}
