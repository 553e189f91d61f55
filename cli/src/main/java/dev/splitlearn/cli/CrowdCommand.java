package dev.splitlearn.cli;

import dev.splitlearn.crowd.Crowd;
import dev.splitlearn.crowd.CrowdConfig;
import dev.splitlearn.crowd.CrowdSimulation;
import dev.splitlearn.crowd.CrowdSimulation.Kind;
import dev.splitlearn.crowd.CrowdSimulation.Point;
import dev.splitlearn.data.DataOptions;
import dev.splitlearn.data.DataSets;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.data.TrainTest;
import dev.splitlearn.report.CurveChart;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitlearn crowd}: the crowd simulation (Crowdlearning), split learning against FedAvg on
 * the same simulated devices; writes OUT/results.json, OUT/curves.csv and two charts.
 */
@Command(
    name = "crowd",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Simulate a crowd of devices (virtual clock, real training) under split learning and FedAvg.")
final class CrowdCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The crowd config (YAML; every key is described in configs/crowd-mnist.yaml).")
  Path config;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where results go.")
  Path out;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Data directory (overrides the config's data-dir).")
  Path dataDir;

  @Option(names = "--devices", paramLabel = "N", description = "Overrides the config's devices.")
  Integer devices;

  @Option(names = "--rounds", paramLabel = "R", description = "Overrides the config's rounds.")
  Integer rounds;

  @Option(
      names = "--schedules",
      split = ",",
      paramLabel = "S",
      defaultValue = "split,fedavg",
      description = "Which schedules to run: split, fedavg or both (default: ${DEFAULT-VALUE}).")
  List<String> schedules;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    List<Kind> kinds = new ArrayList<>();
    for (String s : schedules) {
      kinds.add(
          switch (s) {
            case "split" -> Kind.SPLIT;
            case "fedavg" -> Kind.FEDAVG;
            default ->
                throw new IllegalArgumentException(
                    "--schedules must list split and/or fedavg, got '" + s + "'");
          });
    }
    Map<String, Object> overrides = new LinkedHashMap<>();
    if (dataDir != null) {
      overrides.put("data-dir", dataDir.toString());
    }
    if (devices != null) {
      overrides.put("devices", devices);
    }
    if (rounds != null) {
      overrides.put("rounds", rounds);
    }
    if (!Files.isRegularFile(config)) {
      throw new IOException("--config " + config + ": no such file");
    }
    CrowdConfig c = CrowdConfig.read(config, overrides);
    DataOptions.Builder options = DataOptions.builder().optSeed(c.seed());
    if (c.dataDir() != null) {
      options.optDataDir(c.dataDir());
    }
    TrainTest data = DataSets.load(c.dataset(), options.build());
    Dataset test = data.test().limit(c.testSamples());
    Crowd crowd = Crowd.of(c, data.train());
    CrowdSimulation sim = new CrowdSimulation(c, crowd, test);
    CrowdSimulation.Costs costs = sim.costs();
    err.printf(
        "splitlearn: crowd of %d devices x %d samples (%s), %d rounds of %d, %s; %s%n",
        c.devices(),
        c.samplesPerDevice(),
        c.partition().configName(),
        c.rounds(),
        c.devicesPerRound(),
        sim.plan(),
        costs);
    List<CrowdSimulation.Result> results = new ArrayList<>();
    for (Kind k : kinds) {
      CrowdSimulation.Result r =
          sim.run(
              k,
              line -> {
                err.println("  " + line);
                err.flush();
              });
      err.printf(
          "  %s: %.1f s wall clock, %d events%n", r.schedule(), r.wallSeconds(), r.trace().size());
      results.add(r);
    }
    Files.createDirectories(out);
    Runner.writeAtomically(
        out.resolve("results.json"), results(c, crowd, data.train(), test, sim, costs, results));
    writeAtomically(out.resolve("curves.csv"), csv(results).getBytes(StandardCharsets.UTF_8));
    writeAtomically(
        out.resolve("accuracy-vs-time.png"),
        chart(results, "simulated time (s)", p -> p.simulatedSeconds()));
    writeAtomically(
        out.resolve("accuracy-vs-bytes.png"),
        chart(results, "total bytes up + down (MB)", p -> (p.bytesUp() + p.bytesDown()) / 1e6));
    err.println("splitlearn: results -> " + out.resolve("results.json"));
    return ExitCode.OK;
  }

  private static Map<String, Object> results(
      CrowdConfig c,
      Crowd crowd,
      Dataset train,
      Dataset test,
      CrowdSimulation sim,
      CrowdSimulation.Costs costs,
      List<CrowdSimulation.Result> results) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("config", c.describe());
    r.put("seed", c.seed());
    r.put(
        "split",
        new TreeMap<>(
            Map.of(
                "plan",
                sim.plan().toString(),
                "variant",
                "SplitFed with one server model: devices run"
                    + " vanilla split steps served first come first served by the one server model, client parts averaged"
                    + " (weighted by samples) at the end of every round")));
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("client_flops_per_sample", costs.clientFlopsPerSample());
    k.put("server_flops_per_sample", costs.serverFlopsPerSample());
    k.put("model_flops_per_sample", costs.modelFlopsPerSample());
    k.put(
        "flops_counted",
        "forward FLOPs of convolution and linear layers, 2 per multiply-add (models.Flops);"
            + " a training step per sample is charged 3 forward passes (backward = 2 forwards)");
    k.put("client_part_bytes", costs.clientPartBytes());
    k.put("model_bytes", costs.modelBytes());
    k.put("activation_bytes_per_sample", costs.activationBytesPerSample());
    r.put("costs", k);
    r.put(
        "data",
        new TreeMap<>(
            Map.of(
                "train",
                train.name(),
                "train_sha256",
                train.sha256(),
                "test_samples",
                test.size(),
                "devices",
                crowd.size())));
    Map<String, Object> schedules = new LinkedHashMap<>();
    for (CrowdSimulation.Result res : results) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("wall_seconds", res.wallSeconds());
      s.put("events", res.trace().size());
      s.put("trace_sha256", res.traceSha256());
      List<Map<String, Object>> points = new ArrayList<>();
      for (Point p : res.points()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("round", p.round());
        m.put("simulated_seconds", p.simulatedSeconds());
        m.put("bytes_up", p.bytesUp());
        m.put("bytes_down", p.bytesDown());
        m.put("test_accuracy", p.testAccuracy());
        m.put("dropouts", p.dropouts());
        m.put("updates_applied", p.updatesApplied());
        points.add(m);
      }
      s.put("points", points);
      schedules.put(res.schedule(), s);
    }
    r.put("schedules", schedules);
    return Versions.provenance(r);
  }

  static String csv(List<CrowdSimulation.Result> results) {
    StringBuilder b =
        new StringBuilder(
            "schedule,round,simulated_seconds,bytes_up,bytes_down,test_accuracy,dropouts,updates_applied\n");
    for (CrowdSimulation.Result r : results) {
      for (Point p : r.points()) {
        b.append(
            String.format(
                Locale.ROOT,
                "%s,%d,%.6f,%d,%d,%.6f,%d,%d%n",
                r.schedule(),
                p.round(),
                p.simulatedSeconds(),
                p.bytesUp(),
                p.bytesDown(),
                p.testAccuracy(),
                p.dropouts(),
                p.updatesApplied()));
      }
    }
    return b.toString();
  }

  private static byte[] chart(
      List<CrowdSimulation.Result> results, String xLabel, ToDoubleFunction<Point> x) {
    List<CurveChart.Curve> curves = new ArrayList<>();
    for (CrowdSimulation.Result r : results) {
      curves.add(
          new CurveChart.Curve(
              r.schedule(),
              r.points().stream().mapToDouble(x).toArray(),
              r.points().stream().mapToDouble(Point::testAccuracy).toArray()));
    }
    return CurveChart.png(
        "test accuracy against " + xLabel.replaceAll(" \\(.*", ""),
        xLabel,
        "test accuracy",
        curves,
        640,
        420);
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
