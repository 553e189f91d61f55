package dev.splitlearn.cli;

import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.planner.DeviceChain;
import dev.splitlearn.models.planner.Limits;
import dev.splitlearn.models.planner.SliceNet;
import dev.splitlearn.models.planner.StageCost;
import dev.splitlearn.models.planner.Units;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitlearn plan}: where to cut under a client's limits. With {@code --characterization}
 * (PrivyNet) it fits accuracy and leakage of frozen pretrained extractors from a few measured (k,
 * c) and chooses the most accurate topology within the limits, optionally measuring the choice;
 * with {@code --devices} (SliceNet) it slices the model over a chain of devices for the least time
 * per sample. Writes OUT/plan.json (and, for PrivyNet, OUT/candidates.csv), atomically.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Choose the client's topology under limits (PrivyNet, --characterization) or the cut points over "
            + "a chain of devices (SliceNet, --devices); write OUT/plan.json.")
final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--characterization",
      paramLabel = "DIR|CSV",
      description =
          "A 'splitlearn characterize' folder (or its CSV): the measured points to fit on.")
  Path characterization;

  @Option(
      names = "--devices",
      paramLabel = "FILE",
      description =
          "SliceNet: a chain of devices (YAML, configs/devices-chain.yaml) to cut the model over.")
  Path devices;

  @Option(
      names = "--max-ssim",
      paramLabel = "S",
      description = "Largest predicted inversion SSIM (default: none).")
  Double maxSsim;

  @Option(
      names = "--max-client-mflops",
      paramLabel = "F",
      description = "Largest client forward MFLOPs per sample (default: none).")
  Double maxClientMflops;

  @Option(
      names = "--max-client-kb",
      paramLabel = "K",
      description = "Largest client parameter size, KB of 1024 bytes (default: none).")
  Double maxClientKb;

  @Option(
      names = "--max-ms-per-sample",
      paramLabel = "MS",
      description = "Largest transfer time per training sample on the link (default: none).")
  Double maxMsPerSample;

  @Option(
      names = "--ssim-margin",
      paramLabel = "M",
      defaultValue = "0",
      description =
          "Keep the predicted SSIM this far below --max-ssim, room for the fit's error (default: "
              + "${DEFAULT-VALUE}; plan prints the held-out error).")
  double ssimMargin;

  @Option(
      names = "--bandwidth",
      paramLabel = "RATE",
      defaultValue = "10mbit",
      description = "The client's link, e.g. 10mbit, 1gbit (default: ${DEFAULT-VALUE}).")
  String bandwidth;

  @Option(
      names = "--latency",
      paramLabel = "DELAY",
      defaultValue = "20ms",
      description = "One-way delay of a message, e.g. 20ms (default: ${DEFAULT-VALUE}).")
  String latency;

  @Option(
      names = "--fit-points",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "Measured c per k to fit on, spread over those measured; the rest score the fit "
              + "(default: ${DEFAULT-VALUE}).")
  int fitPoints;

  @Option(
      names = "--fit-degree",
      paramLabel = "D",
      defaultValue = "1",
      description =
          "1: accuracy and SSIM are lines in ln c; 2: parabolas (needs --fit-points >= 3) "
              + "(default: ${DEFAULT-VALUE}).")
  int fitDegree;

  @Option(
      names = "--measure",
      description =
          "Train and attack the chosen topology (as characterize does) and "
              + "compare it with the measured grid.")
  boolean measure;

  @Option(
      names = "--measure-out",
      paramLabel = "DIR",
      description =
          "Where --measure runs go (default: OUT/measured; shared, a point there is read back).")
  Path measureOut;

  @Option(
      names = "--dataset",
      description = "Data set (default: the characterisation's, else mnist).")
  String dataset;

  @Option(
      names = "--model",
      description = "Zoo model (default: the characterisation's, else mnist-cnn).")
  String model;

  @Option(
      names = "--batch",
      description = "Samples per step (default: the characterisation's, else 64).")
  Integer batch;

  @Option(names = "--data-dir", description = "Folder holding the data sets.")
  Path dataDir;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where plan.json goes.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if ((characterization == null) == (devices == null)) {
      throw new IllegalArgumentException(
          "give --characterization DIR|CSV (choose k and c, PrivyNet) or --devices "
              + "FILE (cut over a chain of devices, SliceNet), "
              + (devices == null ? "got neither" : "not both"));
    }
    if (batch != null && batch < 1) {
      throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
    }
    double bps = Units.bitsPerSecond("--bandwidth", bandwidth);
    double lat = Units.seconds("--latency", latency);
    return devices != null ? slice() : new TopologyPlan(this, bps, lat).run();
  }

  Limits limits() {
    double inf = Double.POSITIVE_INFINITY;
    return new Limits(
        maxSsim == null ? inf : maxSsim,
        maxClientMflops == null ? inf : maxClientMflops,
        maxClientKb == null ? inf : maxClientKb,
        maxMsPerSample == null ? inf : maxMsPerSample,
        ssimMargin);
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** SliceNet: cut points over the chain. */
  private int slice() throws IOException {
    for (String flag :
        new String[] {
          "--max-ssim",
          "--ssim-margin",
          "--max-client-mflops",
          "--max-client-kb",
          "--max-ms-per-sample",
          "--measure",
          "--fit-points",
          "--fit-degree"
        }) {
      if (spec.commandLine().getParseResult().hasMatchedOption(flag)) {
        throw new IllegalArgumentException(
            flag
                + " is for --characterization (PrivyNet), not --devices (each device's "
                + "budgets are in the chain's file)");
      }
    }
    DeviceChain chain = DeviceChainFile.read(devices);
    String ds = dataset == null ? "mnist" : dataset;
    String m = model == null ? "mnist-cnn" : model;
    int b = batch == null ? 64 : batch;
    ModelSpec spec = PlanCosts.spec(ds, m, dataDir);
    List<StageCost> stages = PlanCosts.stages(spec);
    SliceNet.Slicing s = SliceNet.solve(stages, PlanCosts.inputBytes(spec), chain, b);
    PrintWriter o = out();
    o.printf(
        "SliceNet: %s on %s over %d devices, batch %d: %.3f ms per training sample%n",
        m, ds, chain.devices().size(), b, s.secondsPerSample() * 1e3);
    o.println(
        "cost model: compute 3 x forward FLOPs / device FLOP/s; each link carries the cut tensor and its "
            + "gradient (2 x bytes x 8 / bandwidth) and 2 latencies per batch; memory 16 B/parameter + batch x stage "
            + "outputs; exact DP");
    o.println(
        "| device | stages | compute ms/sample | memory MB | train MFLOPs/sample | then link: KB each way | "
            + "link ms/sample |");
    o.println("| --- | --- | --- | --- | --- | --- | --- |");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < s.shares().size(); i++) {
      SliceNet.Share sh = s.shares().get(i);
      List<String> names =
          stages.subList(sh.from(), sh.to()).stream().map(StageCost::name).toList();
      SliceNet.Transfer t = i < s.transfers().size() ? s.transfers().get(i) : null;
      o.printf(
          "| %s | %s | %.4f | %.3f | %.3f | %s | %s |%n",
          sh.device().name(),
          names.isEmpty() ? "(relay)" : String.join(" ", names),
          sh.computeSeconds() * 1e3,
          sh.memoryBytes() / (1024.0 * 1024),
          sh.trainFlops() / 1e6,
          t == null ? "" : String.format(Locale.ROOT, "%.2f", t.bytesEachWay() / 1024.0),
          t == null ? "" : String.format(Locale.ROOT, "%.4f", t.seconds() * 1e3));
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("device", sh.device().name());
      r.put("stages", names);
      r.put("compute_ms_per_sample", sh.computeSeconds() * 1e3);
      r.put("memory_bytes", sh.memoryBytes());
      r.put("train_flops_per_sample", sh.trainFlops());
      if (t != null) {
        r.put("link_bytes_each_way_per_sample", t.bytesEachWay());
        r.put("link_ms_per_sample", t.seconds() * 1e3);
      }
      rows.add(r);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("mode", "slicenet");
    json.put("dataset", ds);
    json.put("model", m);
    json.put("batch", b);
    json.put("devices_file", devices.toString());
    json.put("ms_per_sample", s.secondsPerSample() * 1e3);
    json.put("cuts_after", cutNames(stages, s.ends()));
    json.put("devices", rows);
    Runner.writeAtomically(out.resolve("plan.json"), json);
    err().printf("splitlearn plan: %s%n", out.resolve("plan.json"));
    return ExitCode.OK;
  }

  /**
   * For each device but the last, the stage its part ends with ("input" when it relays the raw
   * input).
   */
  private static List<String> cutNames(List<StageCost> stages, int[] ends) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ends.length - 1; i++) {
      out.add(ends[i] == 0 ? "input" : stages.get(ends[i] - 1).name());
    }
    return out;
  }
}
