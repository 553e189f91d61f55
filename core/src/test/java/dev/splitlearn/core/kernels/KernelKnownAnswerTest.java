package dev.splitlearn.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.models.ConvLayer;
import dev.splitlearn.models.ModelZoo;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's convolutions against the plain-Java reference, element for element, single-threaded
 * (where oneDNN's AMD defect showed every time) and with 2 threads: the shapes it got wrong and
 * every convolution of the zoo's small models, with the kernels a run uses: after the process's
 * guard has checked them (and switched oneDNN off where oneDNN is wrong, as on AMD Zen 5). They
 * fail where the engine stays wrong after the guard, or where the guard is overridden with {@code
 * -Dsplitlearn.onednn=on} on a CPU where oneDNN is wrong.
 */
class KernelKnownAnswerTest {
  static Stream<ConvLayer> layers() {
    List<ConvLayer> all = new ArrayList<>(KernelSelfTest.knownBadShapes());
    all.add(ConvLayer.same("known-bad", 8, 12, new int[] {9, 9}, 5));
    all.add(ConvLayer.same("known-bad", 16, 20, new int[] {40}, 5));
    for (String m : List.of("ecg-cnn", "ecg-cnn-large")) {
      var spec = ModelZoo.get(m, new long[] {1, 128}, 5);
      all.addAll(spec.convolutions(0, spec.stages().size()));
    }
    var mnist = ModelZoo.get("mnist-cnn", new long[] {1, 28, 28}, 10);
    all.addAll(mnist.convolutions(0, mnist.stages().size()));
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("layers")
  void engineMatchesReference(ConvLayer layer) {
    KernelGuard.global().verify(List.of(layer));
    KernelSelfTest selfTest = new KernelSelfTest(new EngineConvolution());
    for (KernelCheck c : selfTest.check(layer, "test", OneDnn.libtorch().enabled(), 1, 2)) {
      assertTrue(
          c.passed(),
          c.layer()
              + " with "
              + c.threads()
              + " thread(s), oneDNN "
              + (c.oneDnn() ? "on" : "off")
              + ": "
              + c.verdict());
    }
  }

  @Test
  void selfTestCatchesDroppedTapsAndNaN() {
    ConvLayer ecgConv2 = ModelZoo.get("ecg-cnn", new long[] {1, 128}, 5).convolutions(0, 3).get(1);
    for (DefectiveKernel.Symptom s : DefectiveKernel.Symptom.values()) {
      KernelSelfTest selfTest = new KernelSelfTest(new DefectiveKernel(s, () -> true, l -> true));
      KernelCheck c = selfTest.check(ecgConv2, "test", true, 1).get(0);
      assertFalse(c.passed(), s + " not caught");
      assertTrue(
          c.forwardError() < KernelSelfTest.TOLERANCE
              && c.weightGradientError() < KernelSelfTest.TOLERANCE,
          "only the input gradient is wrong: " + c.verdict());
      assertTrue(c.verdict().startsWith("input gradient"), c.verdict());
    }
  }

  @Test
  void largeLayersAreSampledAndStillCaught() {
    ConvLayer big = ModelZoo.get("mnist-cnn", new long[] {1, 28, 28}, 10).convolutions(0, 4).get(1);
    KernelCheck c =
        new KernelSelfTest(
                new DefectiveKernel(DefectiveKernel.Symptom.DROP_TAPS, () -> true, l -> true))
            .check(big, "test", true, 1)
            .get(0);
    assertEquals(
        3 * KernelSelfTest.SAMPLE, c.checkedElements(), "mnist-cnn conv2 is checked on samples");
    assertFalse(c.passed(), "dropped taps in a sampled layer");
  }
}
