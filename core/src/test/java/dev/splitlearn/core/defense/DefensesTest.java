package dev.splitlearn.core.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.splitlearn.core.defense.DefenseChain.Purpose;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.Tensors;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.MessageCodec;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Each defense does what it says, on the engine, with its gradient, and reproducibly. */
class DefensesTest {
  private static final int N = 64;
  private static final int D = 500;
  private static final Shape SHAPE = new Shape(N, 5, 100);

  private static float[] data(long seed, double scale) {
    Random r = new Random(seed);
    float[] v = new float[N * D];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (scale * r.nextGaussian());
    }
    return v;
  }

  /**
   * What {@code defense} sends for {@code input}, and the gradient of sum(sent * g) on the input.
   */
  private record Applied(float[] sent, float[] gradient) {}

  private static Applied apply(Function<NDArray, NDArray> defense, float[] input, float[] g) {
    return EngineThread.call(
        () -> {
          try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(input, SHAPE);
            a.setRequiresGradient(true);
            float[] sent;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDArray out = defense.apply(a);
              sent = out.toFloatArray();
              Tensors.backward(out, m.create(g, SHAPE));
            }
            return new Applied(sent, a.getGradient().toFloatArray());
          }
        });
  }

  private static double[] meanVar(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    double mean = s / v.length;
    double q = 0;
    for (float x : v) {
      q += (x - mean) * (x - mean);
    }
    return new double[] {mean, q / v.length};
  }

  @Test
  void gaussianNoiseHasItsStandardDeviationAndTheGradientReachesTheCleanActivations() {
    float[] x = data(1, 1);
    float[] g = data(2, 1);
    AdditiveNoise noise = AdditiveNoise.parse("gaussian:0.5");
    Applied r = apply(a -> noise.apply(a, new NoiseStream(7, 0, 0, 3)), x, g);
    float[] diff = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      diff[i] = r.sent()[i] - x[i];
    }
    double[] mv = meanVar(diff);
    // 32,000 draws: the mean's standard error is 0.0028, the std's about 0.002
    assertEquals(0, mv[0], 0.015, "mean of the noise");
    assertEquals(0.5, Math.sqrt(mv[1]), 0.01, "std of the noise");
    assertArrayEquals(g, r.gradient(), 0f, "noise is a constant: the gradient passes unchanged");
  }

  @Test
  void laplaceNoiseHasItsScale() {
    float[] zeros = new float[N * D];
    AdditiveNoise noise = AdditiveNoise.parse("laplace:0.3");
    float[] sent = apply(a -> noise.apply(a, new NoiseStream(7, 0, 0, 3)), zeros, zeros).sent();
    double meanAbs = 0;
    for (float v : sent) {
      meanAbs += Math.abs(v);
    }
    meanAbs /= sent.length;
    double[] mv = meanVar(sent);
    assertEquals(0.3, meanAbs, 0.006, "E|X| of Laplace(0, b) is b");
    assertEquals(2 * 0.3 * 0.3, mv[1], 0.01, "Var of Laplace(0, b) is 2 b^2");
    assertEquals(0, mv[0], 0.01);
  }

  @Test
  void noiseIsReproducibleFromTheSeedAndDiffersPerClientStepAndSeed() {
    float[] a = new NoiseStream(7, 0, 0, 3).gaussian(100, 1);
    assertArrayEquals(a, new NoiseStream(7, 0, 0, 3).gaussian(100, 1), 0f);
    assertFalse(Arrays.equals(a, new NoiseStream(8, 0, 0, 3).gaussian(100, 1)), "seed");
    assertFalse(Arrays.equals(a, new NoiseStream(7, 1, 0, 3).gaussian(100, 1)), "client");
    assertFalse(Arrays.equals(a, new NoiseStream(7, 0, 0, 4).gaussian(100, 1)), "step");
    assertFalse(Arrays.equals(a, new NoiseStream(7, 0, 1, 3).gaussian(100, 1)), "purpose");
    // a whole chain: the same seed, client and step give the same release, another step another one
    Defenses d = new Defenses(0.5, 3, 1, 1e-5, AdditiveNoise.parse("laplace:0.2"), 4, 11, "run");
    float[] x = data(3, 1);
    float[] one = apply(t -> d.chain(0).apply(t, Purpose.TRAIN, 5), x, x).sent();
    assertArrayEquals(one, apply(t -> d.chain(0).apply(t, Purpose.TRAIN, 5), x, x).sent(), 0f);
    assertFalse(Arrays.equals(one, apply(t -> d.chain(0).apply(t, Purpose.TRAIN, 6), x, x).sent()));
    assertFalse(Arrays.equals(one, apply(t -> d.chain(1).apply(t, Purpose.TRAIN, 5), x, x).sent()));
  }

  @Test
  void clippingBoundsEveryRowAndLeavesShortRowsAlone() {
    float[] x = data(4, 1); // row norms about sqrt(500) = 22
    for (int i = 0; i < D; i++) {
      x[i] *= 0.01f; // row 0 is short: norm about 0.22
    }
    float c = 3f;
    float[] sent = apply(a -> ActivationDp.clip(a, c), x, x).sent();
    int clipped = 0;
    for (int r = 0; r < N; r++) {
      double before = norm(x, r);
      double after = norm(sent, r);
      assertTrue(after <= c * (1 + 1e-5), "row " + r + " norm " + after + " > " + c);
      if (before > c) {
        assertEquals(c, after, c * 1e-5);
        clipped++;
      }
    }
    assertEquals(N - 1, clipped);
    for (int i = 0; i < D; i++) {
      assertEquals(x[i], sent[i], 0f, "a row within the bound is unchanged");
    }
  }

  @Test
  void theDpMechanismAddsNoiseOfStdZTimesCOnTheClippedRows() {
    float[] x = data(5, 1);
    ActivationDp dp = new ActivationDp(2, 1.5);
    assertEquals(4, dp.sensitivity(), 0);
    float[] clipped = apply(a -> ActivationDp.clip(a, 2f), x, x).sent();
    float[] sent = apply(a -> dp.apply(a, new NoiseStream(9, 0, 0, 1)), x, x).sent();
    float[] noise = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      noise[i] = sent[i] - clipped[i];
    }
    assertEquals(3.0, Math.sqrt(meanVar(noise)[1]), 0.06, "std z C = 1.5 x 2");
  }

  @Test
  void topKKeepsEachSamplesLargestEntriesAndOnlyTheirGradient() {
    float[] x = data(6, 1);
    float[] g = data(7, 1);
    TopK top = new TopK(0.1);
    assertEquals(50, top.kept(D));
    Applied r = apply(a -> top.apply(a, null), x, g);
    for (int row = 0; row < N; row++) {
      int nonZero = 0;
      float minKept = Float.MAX_VALUE;
      float maxDropped = 0;
      for (int i = row * D; i < (row + 1) * D; i++) {
        if (r.sent()[i] != 0) {
          nonZero++;
          assertEquals(x[i], r.sent()[i], 0f, "a kept entry is sent as is");
          assertEquals(g[i], r.gradient()[i], 0f, "a kept entry gets its gradient");
          minKept = Math.min(minKept, Math.abs(x[i]));
        } else {
          assertEquals(0f, r.gradient()[i], 0f, "a dropped entry gets no gradient");
          maxDropped = Math.max(maxDropped, Math.abs(x[i]));
        }
      }
      assertEquals(50, nonZero, "row " + row);
      assertTrue(
          minKept >= maxDropped, "row " + row + " kept " + minKept + " < dropped " + maxDropped);
    }
  }

  @Test
  void quantisationSendsAtMostTwoToTheBitsLevelsAlsoThroughTheInt8Wire() throws Exception {
    Random u = new Random(8);
    float[] x = new float[N * D];
    for (int i = 0; i < x.length; i++) {
      x[i] = u.nextFloat() * 4 - 2; // uniform, so that every level is hit
    }
    float[] g = data(9, 1);
    for (int bits : new int[] {1, 2, 4, 7}) {
      Quantizer q = new Quantizer(bits);
      Applied r = apply(a -> q.apply(a, null), x, g);
      assertEquals(1 << bits, distinct(r.sent()), bits + " bits");
      assertArrayEquals(g, r.gradient(), 0f, "straight-through gradient");
      float lo = Float.MAX_VALUE;
      float hi = -Float.MAX_VALUE;
      for (float v : x) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      double step = (hi - lo) / ((1 << bits) - 1.0);
      for (int i = 0; i < x.length; i++) {
        assertTrue(
            Math.abs(r.sent()[i] - x[i]) <= step / 2 * (1 + 1e-5), "rounded to the nearest level");
      }
      MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_MAX_BYTES, Compression.INT8);
      FloatTensor t = new FloatTensor(SHAPE.getShape(), r.sent());
      Forward back = (Forward) codec.decode(codec.encode(new Forward(0, 1, true, t, null)));
      assertTrue(distinct(back.activations().data()) <= 1 << bits, "int8 keeps at most the levels");
      assertTrue(
          codec.size(new Forward(0, 1, true, t, null)) < x.length + 100, "one byte per value");
    }
  }

  private static int distinct(float[] v) {
    Set<Float> s = new HashSet<>();
    for (float x : v) {
      s.add(x);
    }
    return s.size();
  }

  private static double norm(float[] v, int row) {
    double s = 0;
    for (int i = row * D; i < (row + 1) * D; i++) {
      s += (double) v[i] * v[i];
    }
    return Math.sqrt(s);
  }

  @Test
  void badSettingsNameTheirFlag() {
    assertThrows(IllegalArgumentException.class, () -> AdditiveNoise.parse("uniform:1"), "--noise");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> AdditiveNoise.parse("gaussian:-1"))
            .getMessage()
            .contains("--noise"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> AdditiveNoise.parse("gaussian"))
            .getMessage()
            .contains("--noise"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new Defenses(0, 1, 0, 1e-5, null, 0, 1, "run"))
            .getMessage()
            .contains("--dp-noise"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new Defenses(1.5, 0, 0, 1e-5, null, 0, 1, "run"))
            .getMessage()
            .contains("--top-k"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new Defenses(0, 0, 0, 1e-5, null, 9, 1, "run"))
            .getMessage()
            .contains("--quantize"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> new Defenses(0, 1, 1, 0, null, 0, 1, "run"))
            .getMessage()
            .contains("--dp-delta"));
    assertFalse(Defenses.NONE.active());
  }
}
