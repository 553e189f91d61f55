package dev.splitlearn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitlearn.core.party.PretrainedExtractor;
import dev.splitlearn.data.DataOptions;
import dev.splitlearn.data.DataSets;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.planner.Candidate;
import dev.splitlearn.report.ParetoFront;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitlearn characterize}: PrivyNet's characterisation of the local topology. For every (k,
 * c) of {@code --grid} it trains a U-shaped run with one client whose extractor is the first k
 * blocks of the pretrained model, frozen, keeping c channels ({@code splitlearn train --extractor
 * pretrained:PATH}), attacks it by black-box inversion ({@code splitlearn attack --kind inversion}:
 * the same commands, run in this process), and tabulates accuracy, leakage (inversion SSIM, dCor),
 * client FLOPs and parameter bytes, and bytes on the wire per training sample in
 * OUT/characterize.csv with the accuracy/SSIM Pareto front marked, and plots OUT/characterize.png;
 * OUT/characterize.json keeps the settings ({@code splitlearn plan --measure} reads them). With
 * {@code --seeds} every point is trained and attacked once per seed and the CSV holds the means
 * (and the seeds' standard deviations): one run's accuracy moves by about a point between seeds at
 * these sizes, as much as the differences the planner is checked on. Resumable: a point whose run
 * and attack are in OUT/runs is read back, not redone. The CSV and plot are rewritten atomically
 * after every point.
 */
@Command(
    name = "characterize",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Measure accuracy, leakage and client cost of frozen pretrained extractors over a grid of (k "
            + "blocks, c channels); write OUT/characterize.csv and OUT/characterize.png (Pareto front marked).")
final class CharacterizeCommand implements Callable<Integer> {
  static final String CSV_HEADER =
      "k,c,selection,channels_kept,test_accuracy,inversion_ssim,inversion_psnr_db,"
          + "dcor,client_mflops_per_sample,client_parameter_bytes,wire_bytes_per_sample,pareto_front,run,seeds,"
          + "test_accuracy_sd,inversion_ssim_sd";

  /** The settings of the measurement, beside the CSV. */
  static final String SETTINGS_FILE = "characterize.json";

  @Spec CommandSpec spec;

  @Option(
      names = "--dataset",
      description = "The private task's data set (default: ${DEFAULT-VALUE}).",
      defaultValue = "mnist")
  String dataset;

  @Option(
      names = "--model",
      description = "Model of the zoo (default: ${DEFAULT-VALUE}).",
      defaultValue = "mnist-cnn")
  String model;

  @Option(
      names = "--pretrained",
      required = true,
      paramLabel = "PATH",
      description = "A 'splitlearn pretrain' folder (trained on a public data set).")
  Path pretrained;

  @Option(
      names = "--grid",
      required = true,
      paramLabel = "k=LIST;c=LIST",
      description = "Client blocks k and kept channels c, e.g. 'k=1,2;c=4,8,16,32' (every pair).")
  String grid;

  @Option(
      names = "--channel-select",
      description = "random or ranked (default: ${DEFAULT-VALUE}).",
      defaultValue = "ranked")
  String channelSelect;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output folder (runs under DIR/runs).")
  Path out;

  @Option(
      names = "--epochs",
      description = "Epochs of each run (default: ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int epochs;

  @Option(
      names = "--limit",
      description = "Training samples of each run (0: all; default: ${DEFAULT-VALUE}).",
      defaultValue = "6000")
  int limit;

  @Option(
      names = "--test-limit",
      description = "Test samples of each run (0: all; default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  int testLimit;

  @Option(
      names = "--batch",
      description = "Batch size (default: ${DEFAULT-VALUE}).",
      defaultValue = "64")
  int batch;

  @Option(
      names = "--lr",
      description = "Learning rate (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.001")
  float lr;

  @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).", defaultValue = "1")
  long seed;

  @Option(
      names = "--seeds",
      paramLabel = "LIST",
      split = ",",
      description =
          "Measure every point once per seed " + "and average, e.g. 1,2,3 (replaces --seed).")
  List<Long> seeds;

  @Option(
      names = "--leaked",
      description =
          "Inversion: (input, activation) test pairs the attacker knows "
              + "(default: ${DEFAULT-VALUE}).",
      defaultValue = "1000")
  int leaked;

  @Option(
      names = "--attack-samples",
      description =
          "Inversion: test samples used, the first --leaked to train the "
              + "decoder, the rest scored (default: ${DEFAULT-VALUE}).",
      defaultValue = "2000")
  int attackSamples;

  @Option(
      names = "--attack-epochs",
      description = "Inversion: decoder epochs (default: ${DEFAULT-VALUE}).",
      defaultValue = "30")
  int attackEpochs;

  @Option(names = "--data-dir", description = "Folder holding the data sets.")
  Path dataDir;

  /** One measured grid point, as the CSV lists it. */
  record Row(
      int k,
      int c,
      String selection,
      String channelsKept,
      double accuracy,
      double ssim,
      double psnr,
      double dcor,
      double clientMflops,
      long clientParameterBytes,
      double wireBytesPerSample,
      String run,
      int seeds,
      double accuracySd,
      double ssimSd) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    TopologyGrid g = TopologyGrid.parse(grid);
    dev.splitlearn.models.ChannelSelect.parse(channelSelect);
    if (epochs < 1 || limit < 0 || testLimit < 0 || attackEpochs < 1) {
      throw new IllegalArgumentException(
          "--epochs and --attack-epochs must be >= 1, --limit and --test-limit >= 0");
    }
    if (leaked < 1 || attackSamples <= leaked) {
      throw new IllegalArgumentException(
          "--attack-samples must exceed --leaked >= 1 (the rest is scored), got "
              + attackSamples
              + " and "
              + leaked);
    }
    List<Long> runSeeds = seeds();
    PretrainedExtractor p = PretrainedExtractor.open(pretrained, "--pretrained " + pretrained);
    ModelSpec spec = modelSpec();
    p.requireFits(spec, "--pretrained " + pretrained);
    for (int k : g.layers()) {
      int total;
      try {
        total = spec.blockChannels(k);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--grid: k=" + k + ": " + e.getMessage().replace("--layers", "k"));
      }
      for (int c : g.channels()) {
        if (c > total) {
          throw new IllegalArgumentException(
              "--grid: c="
                  + c
                  + " exceeds the "
                  + total
                  + " channels of block "
                  + k
                  + " ("
                  + spec.cutPoints().get(k - 1)
                  + ") of "
                  + model);
        }
      }
    }
    Files.createDirectories(out);
    Runner.writeAtomically(out.resolve(SETTINGS_FILE), settings());
    List<Row> rows = new ArrayList<>();
    for (TopologyGrid.Point point : g.points()) {
      // the client's FLOPs and parameters counted on the topology (what the run reports too, see
      // PrivyNetTest), so that runs made before block k was pruned to the kept filters (same
      // outputs, PrunedExtractorTest) are costed as the topology runs now; once per point
      Candidate costs = PlanCosts.candidate(spec, point.layers(), point.channels(), batch, 1e6, 0);
      List<Row> perSeed = new ArrayList<>();
      for (long s : runSeeds) {
        String name = runSeeds.size() == 1 ? point.name() : point.name() + "-seed" + s;
        Path run = out.resolve("runs").resolve(name);
        Path attack = out.resolve("runs").resolve(name + "-inversion");
        boolean done =
            Files.isRegularFile(run.resolve("results.json"))
                && Files.isRegularFile(attack.resolve("attack.json"));
        if (done) {
          err.printf("splitlearn characterize: %s already measured in %s%n", name, run);
        } else {
          if (!Files.isRegularFile(run.resolve("results.json"))) {
            execute(point, train(point, s, run));
          }
          execute(point, attack(point, s, run, attack));
        }
        perSeed.add(read(point, s, run, attack, p, costs));
      }
      rows.add(mean(perSeed));
      write(rows);
    }
    err.printf(
        "splitlearn characterize: %d points -> %s, %s%n",
        rows.size(), out.resolve("characterize.csv"), out.resolve("characterize.png"));
    return ExitCode.OK;
  }

  /**
   * The settings every point was measured with, for {@code splitlearn plan --measure} to measure
   * another point the same way (the grid itself and the data folder, which is per machine, are left
   * out).
   */
  private Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", dataset);
    m.put("model", model);
    m.put("pretrained", pretrained.toAbsolutePath().normalize().toString());
    m.put("channel_select", channelSelect);
    m.put("epochs", epochs);
    m.put("limit", limit);
    m.put("test_limit", testLimit);
    m.put("batch", batch);
    m.put("lr", lr);
    m.put("seed", seeds().get(0));
    m.put("seeds", seeds());
    m.put("leaked", leaked);
    m.put("attack_samples", attackSamples);
    m.put("attack_epochs", attackEpochs);
    return m;
  }

  /** The seeds each point is measured with: --seeds, else --seed alone. */
  private List<Long> seeds() {
    if (seeds == null || seeds.isEmpty()) {
      return List.of(seed);
    }
    if (seeds.stream().distinct().count() != seeds.size()) {
      throw new IllegalArgumentException("--seeds must not repeat a seed, got " + seeds);
    }
    return List.copyOf(seeds);
  }

  /**
   * One row for a point measured once per seed: the figures' means and the seeds' standard
   * deviations.
   */
  static Row mean(List<Row> perSeed) {
    Row first = perSeed.get(0);
    int n = perSeed.size();
    double acc = perSeed.stream().mapToDouble(Row::accuracy).average().orElseThrow();
    double ssim = perSeed.stream().mapToDouble(Row::ssim).average().orElseThrow();
    return new Row(
        first.k(),
        first.c(),
        first.selection(),
        first.channelsKept(),
        acc,
        ssim,
        perSeed.stream().mapToDouble(Row::psnr).average().orElseThrow(),
        perSeed.stream().mapToDouble(Row::dcor).average().orElseThrow(),
        first.clientMflops(),
        first.clientParameterBytes(),
        first.wireBytesPerSample(),
        first.run(),
        n,
        sd(perSeed.stream().mapToDouble(Row::accuracy).toArray(), acc),
        sd(perSeed.stream().mapToDouble(Row::ssim).toArray(), ssim));
  }

  /** Sample standard deviation (0 for one value). */
  private static double sd(double[] v, double mean) {
    if (v.length < 2) {
      return 0;
    }
    double s = 0;
    for (double x : v) {
      s += (x - mean) * (x - mean);
    }
    return Math.sqrt(s / (v.length - 1));
  }

  private ModelSpec modelSpec() {
    DataOptions.Builder b = DataOptions.builder().optSeed(seed);
    if (dataDir != null) {
      b.optDataDir(dataDir);
    }
    int[] sc = DataSets.shapeAndClasses(dataset, b.build());
    long[] shape = new long[sc.length - 1];
    for (int i = 1; i < sc.length; i++) {
      shape[i - 1] = sc[i];
    }
    return ModelZoo.get(model, shape, sc[0]);
  }

  /** The options every command of a point shares: data, model, plan and the local topology. */
  private List<String> common(TopologyGrid.Point point, long runSeed) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--dataset",
                dataset,
                "--model",
                model,
                "--protocol",
                "u-shaped",
                "--clients",
                "1",
                "--seed",
                Long.toString(runSeed),
                "--batch",
                Integer.toString(batch),
                "--extractor",
                "pretrained:" + pretrained,
                "--layers",
                Integer.toString(point.layers()),
                "--channels",
                Integer.toString(point.channels()),
                "--channel-select",
                channelSelect,
                "--no-progress"));
    if (dataDir != null) {
      a.addAll(List.of("--data-dir", dataDir.toString()));
    }
    return a;
  }

  private List<String> train(TopologyGrid.Point point, long runSeed, Path run) {
    List<String> a = new ArrayList<>(List.of("train"));
    a.addAll(common(point, runSeed));
    a.addAll(
        List.of(
            "--epochs",
            Integer.toString(epochs),
            "--limit",
            Integer.toString(limit),
            "--test-limit",
            Integer.toString(testLimit),
            "--lr",
            Float.toString(lr),
            "--out",
            run.toString()));
    return a;
  }

  private List<String> attack(TopologyGrid.Point point, long runSeed, Path run, Path attack) {
    List<String> a = new ArrayList<>(List.of("attack"));
    a.addAll(common(point, runSeed));
    a.addAll(
        List.of(
            "--run",
            run.toString(),
            "--kind",
            "inversion",
            "--limit",
            Integer.toString(attackSamples),
            "--leaked",
            Integer.toString(leaked),
            "--attack-epochs",
            Integer.toString(attackEpochs),
            "--out",
            attack.toString()));
    return a;
  }

  /** Runs a splitlearn command in this process, its output and errors on ours. */
  private void execute(TopologyGrid.Point point, List<String> args) throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    err.printf(
        "splitlearn characterize: %s: splitlearn %s%n", point.name(), String.join(" ", args));
    err.flush();
    int code =
        Main.commandLine(spec.commandLine().getOut(), err).execute(args.toArray(String[]::new));
    if (code != ExitCode.OK) {
      throw new IOException(
          "characterize: "
              + args.get(0)
              + " of grid point "
              + point.name()
              + " failed (exit "
              + code
              + ", its error above)");
    }
  }

  /**
   * Reads a point's figures back, checking that the run is of this point and these settings; {@code
   * costs}: the client costs of the point's topology.
   */
  private Row read(
      TopologyGrid.Point point,
      long runSeed,
      Path run,
      Path attack,
      PretrainedExtractor p,
      Candidate costs)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode r = json.readTree(run.resolve("results.json").toFile());
    JsonNode a = json.readTree(attack.resolve("attack.json").toFile());
    JsonNode x = r.path("config").path("extractor");
    if (x.path("layers").asInt() != point.layers()
        || x.path("channels").asInt() != point.channels()
        || !x.path("selection").asText().equals(channelSelect)
        || !x.path("sha256").asText().equals(p.sha256())
        || r.path("epochs").asInt() != epochs
        || !r.path("config").path("dataset").asText().equals(dataset)
        || r.path("config").path("seed").asLong() != runSeed) {
      throw new IOException(
          "--out "
              + out
              + ": "
              + run
              + " was made with other settings than "
              + point.name()
              + ", "
              + channelSelect
              + ", "
              + epochs
              + " epochs on "
              + dataset
              + " with "
              + p.weights()
              + ", seed "
              + runSeed
              + "; remove it or choose another --out");
    }
    long samples = r.path("config").path("train_samples").asLong();
    long bytes = 0;
    JsonNode last = null;
    for (JsonNode e : r.path("per_epoch")) {
      bytes += e.path("trainBytesUp").asLong() + e.path("trainBytesDown").asLong();
      last = e;
    }
    List<String> kept = new ArrayList<>();
    x.path("selected_channels").forEach(v -> kept.add(v.asText()));
    return new Row(
        point.layers(),
        point.channels(),
        channelSelect,
        String.join(" ", kept),
        r.path("test_accuracy").asDouble(),
        number(a.path("ssim")),
        number(a.path("psnr_db")),
        last == null ? Double.NaN : number(last.path("distanceCorrelation")),
        costs.clientMflops(),
        costs.clientParameterBytes(),
        bytes / (double) Math.max(1, samples * r.path("epochs").asLong()),
        out.relativize(run).toString(),
        1,
        0,
        0);
  }

  private static double number(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  /** Writes the CSV (front marked) and the plot, each atomically. */
  private void write(List<Row> rows) throws IOException {
    List<ParetoFront.Point> points =
        rows.stream()
            .map(r -> new ParetoFront.Point("k=" + r.k() + " c=" + r.c(), r.accuracy(), r.ssim()))
            .toList();
    boolean[] front = ParetoFront.of(points);
    StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      csv.append(
          String.format(
              Locale.ROOT,
              "%d,%d,%s,%s,%.4f,%.4f,%.3f,%.4f,%.4f,%d,%.1f,%b,%s,%d,%.4f,%.4f%n",
              r.k(),
              r.c(),
              r.selection(),
              r.channelsKept(),
              r.accuracy(),
              r.ssim(),
              r.psnr(),
              r.dcor(),
              r.clientMflops(),
              r.clientParameterBytes(),
              r.wireBytesPerSample(),
              front[i],
              r.run(),
              r.seeds(),
              r.accuracySd(),
              r.ssimSd()));
    }
    Files.createDirectories(out);
    atomically(out.resolve("characterize.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
    atomically(
        out.resolve("characterize.png"),
        ParetoFront.plot(
            dataset + ", " + model + ": frozen pretrained " + "extractors (k blocks, c channels)",
            "black-box inversion SSIM (lower: less leaked)",
            points,
            front));
  }

  private static void atomically(Path file, byte[] bytes) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
