package dev.splitlearn.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.splitlearn.core.kernels.EngineConvolution;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.kernels.EngineThreads;
import dev.splitlearn.core.kernels.KernelCheck;
import dev.splitlearn.core.kernels.KernelGuard;
import dev.splitlearn.core.kernels.KernelStatus;
import dev.splitlearn.core.kernels.Machine;
import dev.splitlearn.core.kernels.OneDnn;
import dev.splitlearn.core.kernels.OneDnnMode;
import dev.splitlearn.data.DataLocator;
import dev.splitlearn.data.DataOptions;
import dev.splitlearn.data.DataSets;
import dev.splitlearn.models.ConvLayer;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitlearn doctor}: what this machine runs (Java, DJL, libtorch, oneDNN, CPU, threads),
 * the kernel self-test per convolution, and the data sets found. Exits non-zero when a model's
 * convolutions cannot be computed right here.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description =
        "Check this machine: versions, CPU, threads, the kernel self-test per convolution, data sets found.")
final class DoctorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      split = ",",
      description = "Models whose convolutions to check (default: every model).")
  List<String> models;

  @Option(
      names = "--onednn",
      description = "auto, on or off (default: auto, or $SPLITLEARN_ONEDNN).")
  String oneDnn;

  @Option(
      names = "--repeat",
      description =
          "Also time the self-test this many times more on fresh guards in this "
              + "(now warm) JVM and print min/median/max (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int repeat;

  @Option(
      names = "--data-dir",
      description = "Folder holding the data sets; also $SPLITLEARN_DATA.")
  Path dataDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Machine m = Machine.current();
    out.printf(
        "java       %s %s (%s)%n",
        System.getProperty("java.vendor"),
        System.getProperty("java.version"),
        System.getProperty("java.home"));
    Engine engine = Engine.getInstance();
    KernelGuard guard = KernelGuard.global();
    if (oneDnn != null) {
      guard.setMode(OneDnnMode.parse(oneDnn, "--onednn"));
    }
    out.printf(
        "djl        %s, engine %s %s%n",
        Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion());
    out.printf(
        "cpu        %s (%s, family/model %s), %d cores%n",
        m.cpuModel(), m.vendor(), m.family(), m.cores());
    out.printf("isa        %s: %s%n", m.isa(), String.join(" ", Machine.vectorFlags()));
    Map<String, String> limits = Machine.isaLimits();
    if (!limits.isEmpty()) { // the kernels run below the CPU's ISA: results as on a smaller CPU
      out.printf(
          "isa limits %s%n",
          limits.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(" ")));
    }
    out.printf(
        "threads    intra-op %d, inter-op %d%n",
        EngineThreads.get(), JniUtils.getNumInteropThreads());
    List<String> names = models == null ? ModelZoo.names() : models;
    String failure = null;
    for (String name : names) {
      boolean ecg = name.startsWith("ecg");
      ModelSpec model =
          ModelZoo.get(name, ecg ? new long[] {1, 128} : new long[] {1, 28, 28}, ecg ? 5 : 10);
      try {
        guard.verify(EngineThread.call(() -> model.convolutions(0, model.stages().size())));
      } catch (IllegalStateException e) {
        failure = name + ": " + e.getMessage();
        break;
      }
    }
    KernelStatus s = guard.status();
    out.printf(
        "onednn     %s, %s (mode %s)%s%n",
        s.oneDnnVersion(),
        s.oneDnnOn() ? "on" : "off",
        s.mode().cliName(),
        s.fallback() ? ", switched off by the self-test" : "");
    OneDnn libtorch = OneDnn.libtorch();
    out.printf(
        "nnpack     %s%n",
        libtorch.nnpackStarts()
            ? (libtorch.nnpackEnabled() ? "on" : "off")
            : "off: it cannot start on this CPU, so libtorch does not try it");
    out.printf(
        "self-test  %d checks, %d failed, %.0f ms (known-bad shapes %.0f ms)%s%n",
        s.checks().size(),
        s.failedChecks(),
        s.selfTestMillis(),
        s.knownBadMillis(),
        s.finding().isEmpty() ? "" : "; " + s.finding());
    for (KernelCheck c : s.checks()) {
      out.printf(
          "  %-4s %-9s %-60s %d thread(s), oneDNN %-3s  max rel. error %s%n",
          c.passed() ? "ok" : "FAIL",
          c.origin(),
          c.layer(),
          c.threads(),
          c.oneDnn() ? "on" : "off",
          Double.isNaN(c.worstError()) ? "NaN" : String.format("%.1e", c.worstError()));
    }
    if (repeat > 0 && failure == null) {
      timeWarm(out, names);
    }
    DataOptions.Builder b = DataOptions.builder().optDownload(false);
    if (dataDir != null) {
      b.optDataDir(dataDir);
    }
    DataOptions options = b.build();
    for (String name : DataSets.NAMES) {
      try {
        out.printf("data       %-14s %s%n", name, DataLocator.locate(name, options));
      } catch (IOException e) {
        out.printf(
            "data       %-14s not found (searched %s)%n", name, DataLocator.searchRoots(options));
      }
    }
    out.flush();
    if (failure != null) {
      spec.commandLine().getErr().println("splitlearn: error: " + failure);
      return ExitCode.FAILURE;
    }
    return ExitCode.OK;
  }

  /** The self-test of {@code names} on fresh guards (same oneDNN state), {@link #repeat} times. */
  private void timeWarm(PrintWriter out, List<String> names) {
    List<ConvLayer> layers = new ArrayList<>();
    for (String name : names) {
      boolean ecg = name.startsWith("ecg");
      ModelSpec model =
          ModelZoo.get(name, ecg ? new long[] {1, 128} : new long[] {1, 28, 28}, ecg ? 5 : 10);
      layers.addAll(EngineThread.call(() -> model.convolutions(0, model.stages().size())));
    }
    double[] ms = new double[repeat];
    for (int i = 0; i < repeat; i++) {
      KernelGuard fresh =
          new KernelGuard(new EngineConvolution(), OneDnn.libtorch(), OneDnnMode.AUTO, w -> {});
      fresh.verify(layers);
      ms[i] = fresh.status().selfTestMillis();
    }
    Arrays.sort(ms);
    out.printf(
        "warm       self-test of %s: min %.1f ms, median %.1f ms, max %.1f ms over %d runs%n",
        String.join(",", names), ms[0], ms[repeat / 2], ms[repeat - 1], repeat);
  }
}
