package dev.splitlearn.core.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.splitlearn.core.Fixtures;
import dev.splitlearn.core.kernels.DefectiveKernel.Symptom;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.RunReport;
import dev.splitlearn.core.train.SplitTraining;
import dev.splitlearn.core.train.TrainingConfig;
import dev.splitlearn.core.train.TrainingListener;
import dev.splitlearn.data.Partitioner;
import dev.splitlearn.models.ConvLayer;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The guard with oneDNN's defect forced through a stubbed kernel. */
class KernelGuardTest {
  private static final ModelSpec ECG =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5);
  private static final List<ConvLayer> ECG_CONVS = ECG.convolutions(0, ECG.stages().size());
  private static final ModelSpec MNIST = ModelZoo.get("mnist-cnn", new long[] {1, 28, 28}, 10);

  private final List<String> warnings = new ArrayList<>();
  private boolean oneDnnBefore;

  @BeforeEach
  void remember() {
    oneDnnBefore = OneDnn.libtorch().enabled();
    // The fake switches below do not reach libtorch, so the kernels under their stubs run with
    // libtorch's oneDNN as this line leaves it: off, since oneDNN itself is wrong on some CPUs
    // (AMD Zen 5 here), which would fail these tests for a reason they do not test.
    OneDnn.libtorch().setEnabled(false);
  }

  @AfterEach
  void restore() {
    OneDnn.libtorch().setEnabled(oneDnnBefore);
  }

  @ParameterizedTest
  @EnumSource(Symptom.class)
  void fallbackEngagesAndTrainingThenMatchesTheReference(Symptom symptom) throws Exception {
    OneDnn real = OneDnn.libtorch();
    real.setEnabled(true);
    KernelGuard guard =
        new KernelGuard(
            new DefectiveKernel(symptom, real::enabled, DefectiveKernel::oneDnnPattern),
            real,
            OneDnnMode.AUTO,
            warnings::add);

    guard.verify(ECG_CONVS);

    assertEquals(1, warnings.size(), "one warning line: " + warnings);
    String w = warnings.get(0);
    assertFalse(w.contains("\n"), "one line");
    assertTrue(
        w.contains("ecg-cnn/conv2") && w.contains("input gradient"), "says what was found: " + w);
    assertTrue(
        w.contains("switched oneDNN off") && w.matches(".*\\(\\d+\\.\\d\\dx\\).*"),
        "says what it costs: " + w);
    assertFalse(real.enabled(), "oneDNN is off in libtorch itself");
    KernelStatus status = guard.status();
    assertTrue(status.fallback());
    assertFalse(status.oneDnnOn());
    assertTrue(
        status.checks().stream()
            .anyMatch(c -> !c.passed() && c.layer().where().equals("ecg-cnn/conv2")));
    guard.verify(ECG_CONVS);
    assertEquals(1, warnings.size(), "checked once per state");
    assertTrue(
        guard.status().checks().stream().filter(c -> !c.oneDnn()).allMatch(KernelCheck::passed),
        "every check after the fallback passes");

    RunReport fallback = train();
    assertTrue(
        Double.isFinite(fallback.epochs().get(2).trainLoss()), "finite loss after the fallback");
    assertTrue(
        fallback.evaluation().accuracy() > 0.6, "learns: " + fallback.evaluation().accuracy());

    // The reference: the same run with oneDNN on, valid where the real kernels pass with it on.
    real.setEnabled(true);
    boolean engineRightWithOneDnn =
        ECG_CONVS.stream()
            .allMatch(
                l ->
                    new KernelSelfTest(new EngineConvolution())
                        .check(l, "test", true, 1, 2).stream().allMatch(KernelCheck::passed));
    assumeTrue(engineRightWithOneDnn, "oneDNN is wrong on this machine: no oneDNN reference run");
    RunReport reference = train();
    double lossA = fallback.epochs().get(2).trainLoss();
    double lossB = reference.epochs().get(2).trainLoss();
    assertEquals(lossB, lossA, 1e-3 * Math.abs(lossB), "epoch loss with oneDNN off vs on");
    assertEquals(
        reference.evaluation().accuracy(), fallback.evaluation().accuracy(), 0.02, "test accuracy");
  }

  private static RunReport train() throws Exception {
    TrainingConfig config =
        new TrainingConfig(
            Schedule.PARALLEL,
            3,
            32,
            OptimizerSpec.adam(0.003f),
            11,
            1,
            null,
            false,
            Augmentation.NONE,
            null);
    try (SplitTraining t =
        new SplitTraining(
            ECG.plan(Protocol.U_SHAPED),
            Partitioner.iid(Fixtures.waves(600, 1), 2, 3),
            Fixtures.waves(200, 2),
            config,
            TrainingListener.NONE)) {
      return t.run();
    }
  }

  @Test
  void oneDnnStaysOnWhenTheModelsOwnLayersPass() {
    FakeSwitch sw = new FakeSwitch(true);
    // the defect hits the known-bad shapes (out-channels 6, 8, 24) but not mnist-cnn's 32 and 64
    KernelGuard guard =
        new KernelGuard(
            new DefectiveKernel(Symptom.DROP_TAPS, sw::enabled, DefectiveKernel::oneDnnPattern),
            sw,
            OneDnnMode.AUTO,
            warnings::add);
    guard.verify(MNIST.convolutions(0, MNIST.stages().size()));
    assertTrue(sw.enabled, "oneDNN kept on");
    assertTrue(warnings.isEmpty(), "no fallback warning: " + warnings);
    KernelStatus s = guard.status();
    assertFalse(s.fallback());
    assertTrue(s.finding().contains("known-bad"), "the defect is still reported: " + s.finding());
    assertTrue(
        s.checks().stream().filter(c -> c.origin().equals("model")).allMatch(KernelCheck::passed));
  }

  @Test
  void healthyKernelsLeaveOneDnnOnWithoutAWord() {
    FakeSwitch sw = new FakeSwitch(true);
    KernelGuard guard =
        new KernelGuard(new EngineConvolution(), sw, OneDnnMode.AUTO, warnings::add);
    OneDnn.libtorch().setEnabled(true);
    // healthy means the known-bad shapes too: the guard reports those even when the run's own
    // convolutions pass (with ONEDNN_MAX_CPU_ISA=AVX2 on Zen 5, ecg-cnn's pass and 2 of 4 do not)
    assumeTrue(
        Stream.concat(ECG_CONVS.stream(), KernelSelfTest.knownBadShapes().stream())
            .allMatch(
                l ->
                    new KernelSelfTest(new EngineConvolution())
                        .check(l, "t", true, 1)
                        .get(0)
                        .passed()),
        "this machine's oneDNN is wrong");
    guard.verify(ECG_CONVS);
    assertTrue(sw.enabled);
    assertTrue(warnings.isEmpty());
    assertEquals("", guard.status().finding());
    assertEquals(0, guard.status().failedChecks());
  }

  @Test
  void modeOnKeepsAWrongKernelButSaysSoLoudly() {
    FakeSwitch sw = new FakeSwitch(true);
    KernelGuard guard =
        new KernelGuard(
            new DefectiveKernel(Symptom.NAN, sw::enabled, l -> true),
            sw,
            OneDnnMode.ON,
            warnings::add);
    guard.verify(ECG_CONVS);
    assertTrue(sw.enabled);
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("RESULTS ARE WRONG"), warnings.get(0));
    int checks = guard.status().checks().size();
    guard.verify(ECG_CONVS); // each party of a run verifies its layers: said once, checked once
    assertEquals(1, warnings.size(), "the same wrong kernel is reported once");
    assertEquals(checks, guard.status().checks().size(), "and not checked again");
  }

  @Test
  void modeOffSwitchesOffBeforeTheFirstCheck() {
    FakeSwitch sw = new FakeSwitch(true);
    KernelGuard guard =
        new KernelGuard(
            new DefectiveKernel(Symptom.NAN, sw::enabled, l -> true),
            sw,
            OneDnnMode.OFF,
            warnings::add);
    guard.verify(ECG_CONVS);
    assertFalse(sw.enabled);
    assertTrue(warnings.isEmpty());
    assertTrue(
        guard.status().checks().stream().allMatch(KernelCheck::passed), "nothing ran on oneDNN");
  }

  @Test
  void unreachableSwitchFailsLoudly() {
    FakeSwitch sw = new FakeSwitch(true);
    sw.available = false;
    KernelGuard guard =
        new KernelGuard(
            new DefectiveKernel(Symptom.DROP_TAPS, () -> true, l -> true),
            sw,
            OneDnnMode.AUTO,
            warnings::add);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> guard.verify(ECG_CONVS));
    assertTrue(
        e.getMessage().contains("cannot be switched off") && e.getMessage().contains("fake switch"),
        e.getMessage());
  }

  @Test
  void aKernelWrongEvenWithoutOneDnnStopsTheRun() {
    FakeSwitch sw = new FakeSwitch(true);
    KernelGuard guard =
        new KernelGuard(
            new DefectiveKernel(Symptom.NAN, () -> true, l -> true),
            sw,
            OneDnnMode.AUTO,
            warnings::add);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> guard.verify(ECG_CONVS));
    assertTrue(e.getMessage().contains("still wrong"), e.getMessage());
  }

  @Test
  void modeParsesFromFlagsPropertiesAndVariables() {
    assertEquals(OneDnnMode.OFF, OneDnnMode.parse(" Off ", "--onednn"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OneDnnMode.parse("maybe", "system property splitlearn.onednn"));
    assertEquals(
        "system property splitlearn.onednn: unknown oneDNN mode 'maybe' (auto, on, off)",
        e.getMessage());
  }

  @Test
  void libtorchSwitchTurnsOneDnnOffAndOnAndKnowsItsVersion() {
    OneDnn real = OneDnn.libtorch();
    assertTrue(real.available(), real.unavailableReason());
    real.setEnabled(false);
    assertFalse(real.enabled());
    real.setEnabled(true);
    assertTrue(real.enabled());
    assertTrue(real.version().matches("v?\\d+\\.\\d+(\\.\\d+)?.*"), real.version());
  }

  @Test
  void libtorchTriesNnpackOnlyWhereItCanStart() {
    OneDnn real = OneDnn.libtorch();
    // where NNPACK cannot start (AMD Zen 5), libtorch would log a warning at each convolution
    assertEquals(
        real.nnpackStarts(),
        real.nnpackEnabled(),
        "NNPACK " + (real.nnpackStarts() ? "starts" : "cannot start") + " on this CPU");
  }

  /** A oneDNN switch that only remembers its state. */
  static final class FakeSwitch implements OneDnnSwitch {
    boolean enabled;
    boolean available = true;

    FakeSwitch(boolean enabled) {
      this.enabled = enabled;
    }

    @Override
    public boolean available() {
      return available;
    }

    @Override
    public String unavailableReason() {
      return available ? "" : "fake switch unplugged";
    }

    @Override
    public boolean enabled() {
      return enabled;
    }

    @Override
    public void setEnabled(boolean on) {
      if (!available) {
        throw new IllegalStateException("fake switch unplugged");
      }
      enabled = on;
    }

    @Override
    public String version() {
      return "fake";
    }
  }
}
