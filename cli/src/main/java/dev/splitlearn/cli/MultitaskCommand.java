package dev.splitlearn.cli;

import dev.splitlearn.core.client.ClientEpoch;
import dev.splitlearn.core.client.ClientListener;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.EpochStats;
import dev.splitlearn.core.train.MultitaskTraining;
import dev.splitlearn.core.train.MultitaskTraining.Task;
import dev.splitlearn.core.train.MultitaskTraining.TaskRun;
import dev.splitlearn.core.train.RunReport;
import dev.splitlearn.core.train.TrainingConfig;
import dev.splitlearn.core.train.TrainingListener;
import dev.splitlearn.data.DataOptions;
import dev.splitlearn.data.DataSets;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.data.TrainTest;
import dev.splitlearn.models.Multitask;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitlearn multitask}: clients with different data and label sets share one cloud model
 * (Multiple Classification with Split Learning), against each client training the same architecture
 * alone; writes OUT/results.json and prints a table per client.
 */
@Command(
    name = "multitask",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Train one shared cloud model for clients of different tasks; compare with local-only training.")
final class MultitaskCommand implements Callable<Integer> {
  /**
   * What the seed paper reports: multi-task better than local-only by this much on average (pp).
   */
  static final double SEED_PAPER_PP = 2.63;

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description =
          "The multi-task config (YAML; every key is described in configs/multitask.yaml).")
  Path config;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where results.json goes.")
  Path out;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Data directory (overrides the config's data-dir).")
  Path dataDir;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Training samples per client (overrides the config).")
  Integer limit;

  @Option(names = "--epochs", paramLabel = "E", description = "Epochs (overrides the config).")
  Integer epochs;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, Object> overrides = new LinkedHashMap<>();
    if (limit != null && limit < 0) {
      throw new IllegalArgumentException("--limit must be >= 0 (0 for all), got " + limit);
    }
    if (epochs != null && epochs < 1) {
      throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
    }
    if (dataDir != null) {
      overrides.put("data-dir", dataDir.toString());
    }
    if (limit != null) {
      overrides.put("limit", limit);
    }
    if (epochs != null) {
      overrides.put("epochs", epochs);
    }
    MultitaskConfig c = MultitaskConfig.read(config, overrides);
    TrainingConfig training =
        new TrainingConfig(
            Schedule.PARALLEL,
            c.epochs(),
            c.batch(),
            new OptimizerSpec(c.optimizer(), c.lr(), 0, 0, "constant", 1),
            c.seed(),
            1,
            null,
            false,
            Augmentation.NONE,
            null);
    List<Task> tasks = new ArrayList<>();
    List<Dataset> fullTrain = new ArrayList<>();
    for (MultitaskConfig.Client client : c.clients()) {
      DataOptions.Builder options = DataOptions.builder().optSeed(DataOptions.DEFAULT_SEED);
      if (c.dataDir() != null) {
        options.optDataDir(c.dataDir());
      }
      TrainTest data = DataSets.load(client.dataset(), options.build());
      fullTrain.add(data.train());
      Dataset train = sample(data.train(), c.limit(), c.seed());
      Dataset test = sample(data.test(), c.testLimit(), c.seed() + 1);
      SplitPlan plan =
          Multitask.model(
                  longs(train.sampleShape()), train.numClasses(), c.embedding(), c.cloudHidden())
              .plan(Protocol.U_SHAPED);
      tasks.add(new Task(client.name(), plan, train, test));
      err.printf(
          "splitlearn: client %d '%s': %s, %d classes, %s extractor, %d training and %d test samples%n",
          tasks.size() - 1,
          client.name(),
          client.dataset(),
          train.numClasses(),
          Multitask.extractorKind(longs(train.sampleShape())),
          train.size(),
          test.size());
    }
    SplitPlan cloud = tasks.get(0).plan();
    err.printf(
        "splitlearn: shared cloud: %s%n",
        EngineThread.call(cloud::cloudFingerprint)); // shapes: engine work
    long t0 = System.nanoTime();
    List<TaskRun> runs;
    try (MultitaskTraining t = new MultitaskTraining(tasks, training, progress(err, tasks))) {
      runs = t.run();
    }
    double multitaskSeconds = (System.nanoTime() - t0) / 1e9;
    List<RunReport> local = new ArrayList<>();
    long t1 = System.nanoTime();
    for (int i = 0; i < tasks.size(); i++) {
      local.add(
          MultitaskTraining.localOnly(
              tasks.get(i),
              i,
              training,
              new TrainingListener() {
                @Override
                public void onEpoch(EpochStats s) {
                  err.printf(
                      "  %s epoch %d: loss %.4f, test accuracy %.4f%n",
                      s.phase(), s.epoch(), s.trainLoss(), s.testAccuracy());
                  err.flush();
                }
              }));
    }
    double localSeconds = (System.nanoTime() - t1) / 1e9;
    Map<String, Object> results =
        results(c, tasks, fullTrain, runs, local, multitaskSeconds, localSeconds);
    Runner.writeAtomically(out.resolve("results.json"), results);
    spec.commandLine().getOut().print(table(runs, local));
    spec.commandLine().getOut().flush();
    err.println("splitlearn: results -> " + out.resolve("results.json"));
    return ExitCode.OK;
  }

  private static ClientListener progress(PrintWriter err, List<Task> tasks) {
    return new ClientListener() {
      @Override
      public void onEpochEnd(int client, ClientEpoch e) {
        synchronized (err) {
          err.printf(
              "  multitask-%s epoch %d: loss %.4f, test accuracy %.4f%n",
              tasks.get(client).name(), e.epoch(), e.meanLoss(), e.evaluation().accuracy());
          err.flush();
        }
      }
    };
  }

  /**
   * A seeded random subset of {@code n} samples (data sets such as MIT-BIH are stored in record
   * order).
   */
  static Dataset sample(Dataset d, int n, long seed) {
    if (n == 0 || n >= d.size()) {
      return d;
    }
    int[] idx = new int[d.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Random r = new Random(seed);
    for (int i = idx.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int tmp = idx[i];
      idx[i] = idx[j];
      idx[j] = tmp;
    }
    int[] take = java.util.Arrays.copyOf(idx, n);
    java.util.Arrays.sort(take);
    return d.subset(take);
  }

  private static Map<String, Object> results(
      MultitaskConfig c,
      List<Task> tasks,
      List<Dataset> fullTrain,
      List<TaskRun> runs,
      List<RunReport> local,
      double multitaskSeconds,
      double localSeconds) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("config", c.describe());
    SplitPlan first = tasks.get(0).plan();
    Map<String, Object> model = new LinkedHashMap<>();
    model.put(
        "cut",
        "a flat vector of "
            + c.embedding()
            + " values per sample for every client (each extractor"
            + " ends in Linear(., E)+ReLU): images and 1D beats share no spatial layout");
    model.put("cloud", EngineThread.call(first::cloudFingerprint));
    model.put("cloud_forward_flops_per_sample", runs.get(0).serverFlopsPerSample());
    model.put(
        "schedule",
        "parallel, ordered admission, each client's steps spread over the epoch in proportion to"
            + " its batches; the cloud model is shared, client parts are never averaged");
    model.put(
        "baseline",
        "local-only: each client trains its extractor, its own copy of the cloud part and its"
            + " classifier unsplit on its own data alone, same epochs, optimizer, initial weights and batch order");
    r.put("model", model);
    List<Map<String, Object>> clients = new ArrayList<>();
    double sum = 0;
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      TaskRun run = runs.get(i);
      RunReport alone = local.get(i);
      double mt = run.evaluation().accuracy();
      double lo = alone.evaluation().accuracy();
      sum += 100 * (mt - lo);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("client", i);
      m.put("name", t.name());
      m.put("dataset", c.clients().get(i).dataset());
      m.put("classes", t.train().numClasses());
      m.put("class_names", t.train().classNames());
      m.put("extractor", Multitask.extractorKind(longs(t.train().sampleShape())));
      m.put("plan", t.plan().fingerprint());
      m.put("train_samples", t.train().size());
      m.put("test_samples", t.test().size());
      m.put("train_sha256", fullTrain.get(i).sha256());
      m.put("multitask_test_accuracy", mt);
      m.put("local_only_test_accuracy", lo);
      m.put("difference_pp", 100 * (mt - lo));
      m.put("client_forward_flops_per_sample", run.clientFlopsPerSample());
      m.put("client_parameters", run.clientParameters());
      m.put("bytes_up", run.epochs().stream().mapToLong(ClientEpoch::bytesUp).sum());
      m.put("bytes_down", run.epochs().stream().mapToLong(ClientEpoch::bytesDown).sum());
      List<Map<String, Object>> mtEpochs = new ArrayList<>();
      for (ClientEpoch e : run.epochs()) {
        mtEpochs.add(epoch(e.epoch(), e.meanLoss(), e.evaluation().accuracy(), e.trainSeconds()));
      }
      m.put("multitask_epochs", mtEpochs);
      List<Map<String, Object>> loEpochs = new ArrayList<>();
      for (EpochStats e : alone.epochs()) {
        loEpochs.add(epoch(e.epoch(), e.trainLoss(), e.testAccuracy(), e.seconds()));
      }
      m.put("local_only_epochs", loEpochs);
      clients.add(m);
    }
    r.put("clients", clients);
    r.put("mean_difference_pp", sum / tasks.size());
    r.put("seed_paper_mean_difference_pp", SEED_PAPER_PP);
    r.put("seconds", Map.of("multitask", multitaskSeconds, "local_only", localSeconds));
    return Versions.provenance(r);
  }

  private static Map<String, Object> epoch(
      int epoch, double loss, double accuracy, double seconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", epoch);
    m.put("train_loss", loss);
    m.put("test_accuracy", accuracy);
    m.put("seconds", seconds);
    return m;
  }

  /**
   * The per-client table: data set, classes, multi-task and local-only test accuracy, difference.
   */
  static String table(List<TaskRun> runs, List<RunReport> local) {
    StringBuilder b =
        new StringBuilder(
            String.format(
                "%-12s %-15s %7s %10s %11s %12s%n",
                "client", "data set", "classes", "multitask", "local-only", "difference"));
    double sum = 0;
    for (int i = 0; i < runs.size(); i++) {
      Task t = runs.get(i).task();
      double mt = runs.get(i).evaluation().accuracy();
      double lo = local.get(i).evaluation().accuracy();
      sum += 100 * (mt - lo);
      b.append(
          String.format(
              java.util.Locale.ROOT,
              "%-12s %-15s %7d %10.4f %11.4f %+9.2f pp%n",
              t.name(),
              t.train().name().replaceFirst("/.*", ""),
              t.train().numClasses(),
              mt,
              lo,
              100 * (mt - lo)));
    }
    b.append(
        String.format(
            java.util.Locale.ROOT,
            "%-12s %-15s %7s %10s %11s %+9.2f pp (seed paper: +%.2f pp)%n",
            "mean",
            "",
            "",
            "",
            "",
            sum / runs.size(),
            SEED_PAPER_PP));
    return b.toString();
  }

  private static long[] longs(int[] a) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }
}
