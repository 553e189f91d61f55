package dev.splitlearn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.kernels.KernelGuard;
import dev.splitlearn.core.kernels.OneDnnMode;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.party.PretrainedExtractor;
import dev.splitlearn.core.protocol.FrameTap;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.protocol.WireEndpoint;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.RunReport;
import dev.splitlearn.core.train.SplitTraining;
import dev.splitlearn.core.train.TrainingConfig;
import dev.splitlearn.core.train.WholeModelTraining;
import dev.splitlearn.data.DataOptions;
import dev.splitlearn.data.DataSets;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.data.MitBihSplit;
import dev.splitlearn.data.Partitioner;
import dev.splitlearn.data.TrainTest;
import dev.splitlearn.models.ChannelSelect;
import dev.splitlearn.models.ConvLayer;
import dev.splitlearn.models.LocalTopology;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** Turns {@link TrainOptions} into a run: data, partitions, model, training, results file. */
final class Runner {
  private final TrainOptions o;
  private final PrintWriter err;
  private Path tap;
  private long tapMaxBytes;

  Runner(TrainOptions options, PrintWriter err) {
    this.o = options;
    this.err = err;
  }

  /**
   * Makes {@link #run} record every frame the in-process server receives and sends into {@code
   * file} (a curious server's view, as {@code splitlearn server --tap} records it), up to {@code
   * maxBytes}.
   */
  Runner tap(Path file, long maxBytes) {
    this.tap = file;
    this.tapMaxBytes = maxBytes;
    return this;
  }

  /** Validated pieces of a run, before any training. */
  record Setup(
      ModelSpec spec,
      SplitPlan plan,
      List<Dataset> clientData,
      Dataset train,
      Dataset test,
      TrainingConfig config) {}

  /** Checks the options that need no data (a loopback run validates before starting processes). */
  void validate() {
    Protocol.parse(o.protocol);
    Schedule.parse(o.schedule);
    o.cutCompression();
    o.defenses();
    o.clientDefenses();
    o.gradientDp();
    if (o.clients < 1) {
      throw new IllegalArgumentException("--clients must be >= 1, got " + o.clients);
    }
    planWithoutData();
  }

  Setup setup() throws IOException {
    if (o.oneDnn != null) {
      OneDnnMode.parse(o.oneDnn, "--onednn"); // a bad value fails before any data is read
    }
    o.applyOneDnn();
    startSelfTest();
    Protocol protocol = Protocol.parse(o.protocol);
    Schedule schedule = Schedule.parse(o.schedule);
    if (o.clients < 1) {
      throw new IllegalArgumentException("--clients must be >= 1, got " + o.clients);
    }
    if (o.limit < 0 || o.testLimit < 0) {
      throw new IllegalArgumentException("--limit and --test-limit must be >= 0");
    }
    OptimizerSpec opt = optimizer();
    o.cutCompression();
    if (!List.of("in-process", "grpc").contains(o.transport)) {
      throw new IllegalArgumentException(
          "--transport must be in-process or grpc, got '" + o.transport + "'");
    }
    PretrainedExtractor pretrained = pretrained();
    if (pretrained != null && !o.he.equals("none")) {
      throw new IllegalArgumentException(
          "--he "
              + o.he
              + " with --extractor pretrained is not supported (the "
              + "encrypted cut assumes an extractor that trains)");
    }
    TrainingConfig config =
        new TrainingConfig(
            schedule,
            o.epochs,
            o.batch,
            opt,
            o.seed,
            o.syncEvery,
            o.out.resolve("checkpoints"),
            o.resume,
            Augmentation.parse(o.augment),
            o.encryption(),
            o.noPeek,
            o.defenses(),
            o.clientDefenses(),
            o.gradientDp(),
            pretrained);
    if (!List.of("none", "central", "local").contains(o.baseline)) {
      throw new IllegalArgumentException(
          "--baseline must be none, central or local, got '" + o.baseline + "'");
    }
    if (!List.of("iid", "dirichlet").contains(o.partition)) {
      throw new IllegalArgumentException(
          "--partition must be iid or dirichlet, got '" + o.partition + "'");
    }
    if (!ModelZoo.names().contains(o.model)) {
      ModelZoo.get(o.model, new long[0], 0); // throws the listing error
    }
    TrainTest data = DataSets.load(o.dataset, dataOptions());
    Dataset train =
        o.limit > 0 ? data.train().limit(Math.min(o.limit, data.train().size())) : data.train();
    Dataset test =
        o.testLimit > 0
            ? data.test().limit(Math.min(o.testLimit, data.test().size()))
            : data.test();
    ModelSpec spec = ModelZoo.get(o.model, longs(train.sampleShape()), train.numClasses());
    if (pretrained != null) {
      pretrained.requireFits(spec, "--extractor " + o.extractor);
    }
    spec = withTopology(spec, pretrained);
    SplitPlan plan = plan(spec, protocol);
    List<Dataset> parts =
        o.partition.equals("iid")
            ? Partitioner.iid(train, o.clients, o.seed)
            : Partitioner.dirichlet(train, o.clients, o.alpha, o.seed);
    return new Setup(spec, plan, parts, train, test, config);
  }

  /**
   * Checks the kernels the run will use while its data loads (a bad option is reported later, in
   * order).
   */
  private void startSelfTest() {
    List<ConvLayer> layers;
    try {
      SplitPlan plan = planWithoutData();
      layers = EngineThread.call(() -> plan.model().convolutions(0, plan.model().stages().size()));
    } catch (IllegalArgumentException e) {
      layers = List.of();
    }
    KernelGuard.global().startInBackground(layers);
  }

  /** The optimizer the options describe. */
  OptimizerSpec optimizer() {
    return new OptimizerSpec(
        o.optimizer,
        o.lr,
        o.optimizer.equals("sgd") ? o.momentum : 0,
        o.weightDecay,
        o.lrSchedule,
        1);
  }

  /**
   * The plan from the data set's shape and classes, without reading the data (the server's view).
   *
   * @throws IllegalArgumentException for an unknown data set, model, protocol or cut
   */
  SplitPlan planWithoutData() {
    try {
      return planWithoutDataOrIo();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private SplitPlan planWithoutDataOrIo() throws IOException {
    int[] sc = DataSets.shapeAndClasses(o.dataset, dataOptions());
    long[] shape = new long[sc.length - 1];
    for (int i = 1; i < sc.length; i++) {
      shape[i - 1] = sc[i];
    }
    ModelSpec spec = withTopology(ModelZoo.get(o.model, shape, sc[0]), null);
    return plan(spec, Protocol.parse(o.protocol));
  }

  /**
   * The pre-trained weights {@code --extractor pretrained:PATH} names, or null for {@code trained}.
   *
   * @throws IllegalArgumentException if --extractor is malformed, or --layers is missing or given
   *     without it
   * @throws IOException if PATH is not a pretrain folder
   */
  PretrainedExtractor pretrained() throws IOException {
    String e = o.extractor == null ? "trained" : o.extractor.trim();
    if (e.equals("trained")) {
      if (o.layers != null) {
        throw new IllegalArgumentException(
            "--layers selects blocks of a pretrained model: give --extractor "
                + "pretrained:PATH (a 'splitlearn pretrain' folder) too");
      }
      return null;
    }
    if (!e.startsWith("pretrained:") || e.length() == "pretrained:".length()) {
      throw new IllegalArgumentException(
          "--extractor must be trained or pretrained:PATH, got '" + o.extractor + "'");
    }
    if (o.layers == null) {
      throw new IllegalArgumentException(
          "--extractor " + e + " needs --layers K (the pretrained blocks the client " + "runs)");
    }
    return PretrainedExtractor.open(
        Path.of(e.substring("pretrained:".length())), "--extractor " + e);
  }

  /**
   * {@code spec} cut for PrivyNet when {@code --layers} is given: the topology's channels are
   * chosen here (random: from --seed; ranked: from {@code pretrained}'s weights; without weights,
   * as on a server, they stay unknown and only the shapes are built).
   */
  ModelSpec withTopology(ModelSpec spec, PretrainedExtractor pretrained) throws IOException {
    if (o.layers == null) {
      if (o.channels != null) {
        throw new IllegalArgumentException(
            "--channels needs --layers K (and --extractor pretrained:PATH)");
      }
      return spec;
    }
    ChannelSelect select = ChannelSelect.parse(o.channelSelect);
    int total = spec.blockChannels(o.layers);
    int c = o.channels == null ? total : o.channels;
    if (c < 1 || c > total) {
      throw new IllegalArgumentException(
          "--channels must be in 1.."
              + total
              + " (the output channels of block "
              + o.layers
              + ", "
              + spec.cutPoints().get(o.layers - 1)
              + ", of "
              + spec.name()
              + "), got "
              + c);
    }
    int[] indices = null;
    if (select == ChannelSelect.RANDOM) {
      indices = ChannelSelect.random(c, total, o.seed);
    } else if (pretrained != null) {
      indices = pretrained.rankChannels(spec, o.layers, c);
    }
    return spec.withLocalTopology(new LocalTopology(o.layers, c, select, indices));
  }

  /**
   * The plan of {@code spec}: --cuts, whose first cut may name block K or the selection, or the
   * defaults.
   */
  private SplitPlan plan(ModelSpec spec, Protocol protocol) {
    if (o.cuts == null) {
      return spec.plan(protocol);
    }
    LocalTopology t = spec.localTopology();
    if (t == null) {
      return spec.plan(protocol, o.cuts);
    }
    List<String> cuts = new java.util.ArrayList<>(o.cuts);
    String block = spec.cutPoints().get(t.layers() - 1);
    if (!cuts.isEmpty() && cuts.get(0).equals(block)) {
      cuts.set(0, ModelSpec.SELECT_STAGE);
    }
    if (!cuts.isEmpty() && !cuts.get(0).equals(ModelSpec.SELECT_STAGE)) {
      throw new IllegalArgumentException(
          "--cuts "
              + String.join(",", o.cuts)
              + " disagrees with --layers "
              + t.layers()
              + " (the client's extractor ends after "
              + block
              + ")");
    }
    return spec.plan(protocol, cuts);
  }

  DataOptions dataOptions() {
    DataOptions.Builder b =
        DataOptions.builder()
            .optSeed(o.seed)
            .optBeatWindow(o.beatWindow)
            .optSplit(
                MitBihSplit.valueOf(o.mitbihSplit.toUpperCase(Locale.ROOT).replace('-', '_')));
    if (o.dataDir != null) {
      b.optDataDir(o.dataDir);
    }
    return b.build();
  }

  /** Runs split training and the requested baseline, writes OUT/results.json, returns the path. */
  Path run() throws IOException {
    Setup s = setup();
    err.printf(
        "splitlearn: %s on %s (%d train, %d test), %d clients %s, %d epochs, batch %d%n",
        s.plan(),
        o.dataset,
        s.train().size(),
        s.test().size(),
        o.clients,
        o.schedule,
        o.epochs,
        o.batch);
    ProgressBar bar = new ProgressBar(err, !o.noProgress && System.console() != null, o.epochs);
    RunReport split;
    long ctos;
    long stoc;
    FrameTap[] recorder = new FrameTap[1];
    UnaryOperator<WireEndpoint> serverEnd =
        tap == null
            ? UnaryOperator.identity()
            : server -> {
              try {
                recorder[0] = new FrameTap(server, tap, tapMaxBytes);
                return recorder[0];
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            };
    try (SplitTraining t =
        new SplitTraining(
            s.plan(), s.clientData(), s.test(), s.config(), bar, o.cutCompression(), serverEnd)) {
      split = t.run();
      ctos =
          t.clients().stream().mapToLong(c -> c.transport().traffic().bytesClientToServer()).sum();
      stoc =
          t.clients().stream().mapToLong(c -> c.transport().traffic().bytesServerToClient()).sum();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      if (recorder[0] != null) {
        recorder[0].close();
      }
    }
    RunReport baseline =
        switch (o.baseline) {
          case "central" ->
              WholeModelTraining.central(s.spec(), s.train(), s.test(), s.config(), bar);
          case "local" ->
              WholeModelTraining.local(s.spec(), s.clientData(), s.test(), s.config(), bar);
          default -> null;
        };
    Map<String, Object> results = results(s, split, ctos, stoc, baseline);
    if (recorder[0] != null) {
      results.put(
          "tap",
          new TreeMap<>(Map.of("file", tap.toString(), "stopped_at_bound", recorder[0].full())));
    }
    Path file = o.out.resolve("results.json");
    writeAtomically(file, results);
    err.printf(
        "test accuracy %.4f after %d epochs, %.1f s/epoch, %.1f MB up, %.1f MB down -> %s%n",
        split.evaluation().accuracy(),
        split.epochs().size(),
        split.secondsPerEpoch(),
        ctos / 1e6,
        stoc / 1e6,
        file);
    return file;
  }

  private Map<String, Object> results(
      Setup s, RunReport split, long ctos, long stoc, RunReport baseline) {
    List<Integer> epochNumbers = split.epochs().stream().map(e -> e.epoch()).toList();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("test_accuracy", split.evaluation().accuracy());
    r.put("epochs", split.epochs().size());
    r.put("train_seconds", split.trainSeconds());
    r.put("seconds_per_epoch", split.secondsPerEpoch());
    r.put("bytes_client_to_server", ctos);
    r.put("bytes_server_to_client", stoc);
    r.put("eval_seconds", split.evalSeconds());
    r.put("weight_sync_seconds", split.syncSeconds());
    r.put("server_seconds", split.serverSeconds());
    r.put("per_class", split.evaluation().perClass());
    r.put("confusion", split.evaluation().confusion());
    r.put("per_epoch", split.epochs());
    r.put("clients", split.clients());
    Map<String, Object> privacy =
        o.clientDefenses().isEmpty()
            ? DefenseReport.privacy(o.defenses(), epochNumbers)
            : null; // with per-client defenses, each client's figures are under
    // config.client_defenses
    if (privacy != null) {
      r.put("privacy", privacy);
    }
    Map<String, Object> gradientPrivacy =
        DefenseReport.gradientPrivacy(o.gradientDp(), epochNumbers, o.gradientDpByClient());
    if (gradientPrivacy != null) {
      r.put("gradient_privacy", gradientPrivacy);
    }
    if (baseline != null) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("kind", o.baseline);
      b.put("test_accuracy", baseline.evaluation().accuracy());
      b.put("train_seconds", baseline.trainSeconds());
      b.put(
          "seconds_per_epoch",
          o.baseline.equals("local")
              ? baseline.trainSeconds() / o.epochs
              : baseline.secondsPerEpoch());
      b.put("per_epoch", baseline.epochs());
      b.put("clients", baseline.clients());
      r.put("baseline", b);
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("dataset", o.dataset);
    config.put("model", o.model);
    config.put("protocol", s.plan().protocol().cliName());
    config.put("cuts", s.plan().cuts());
    config.put("clients", o.clients);
    config.put("schedule", o.schedule);
    config.put("partition", o.partition);
    config.put("batch", o.batch);
    config.put("compression", o.cutCompression().cliName());
    config.put("transport", o.transport);
    config.put("augment", o.augment);
    config.put("nopeek", o.noPeek);
    config.put("extractor", extractorRecord(s));
    config.put("defenses", o.defenses().describe());
    if (!o.clientDefenses().isEmpty()) {
      config.put("client_defenses", DefenseReport.perClient(o, epochNumbers));
    }
    if (o.gradientDp() != null) {
      config.put("gradient_dp", o.gradientDp().describe(o.gradientDpByClient()));
    }
    if (o.he.equals("none")) {
      config.put("he", "none");
    } else {
      Map<String, Object> he = new LinkedHashMap<>();
      he.put("scheme", o.he);
      he.put("parameters", o.heParams);
      he.put("gradients", o.heGradients);
      he.put("min_batch", o.heMinBatch);
      he.put("dp_clip", o.heDpClip);
      he.put("dp_noise_multiplier", o.heDpNoise);
      he.put("logit_noise", o.heLogitNoise);
      he.put("dp", o.heDpGuarantee(o.epochs));
      config.put("he", he);
    }
    config.put("optimizer", s.config().optimizer());
    config.put("seed", o.seed);
    config.put("train_samples", s.train().size());
    config.put("test_samples", s.test().size());
    config.put("train_sha256", s.train().sha256());
    r.put("config", config);
    Versions.provenance(r);
    return r;
  }

  /**
   * What results.json records of the client's extractor: trained, or PrivyNet's frozen pretrained
   * one.
   */
  static Map<String, Object> extractorRecord(Setup s) {
    Map<String, Object> m = new LinkedHashMap<>();
    PretrainedExtractor p = s.config().extractor();
    LocalTopology t = s.spec().localTopology();
    if (p == null || t == null) {
      m.put("source", "trained");
      return m;
    }
    m.put("source", "pretrained");
    m.put("weights", p.weights().toString());
    m.put("sha256", p.sha256());
    m.put("pretrained_on", p.dataset());
    m.put("pretrained_test_accuracy", p.testAccuracy());
    m.put("frozen", true);
    m.put("layers", t.layers());
    m.put("block", s.spec().cutPoints().get(t.layers() - 1));
    m.put("block_channels", s.spec().blockChannels(t.layers()));
    m.put("channels", t.channels());
    m.put("selection", t.select().cliName());
    m.put(
        "ranking",
        t.select() == ChannelSelect.RANKED
            ? "L1 norm of the block's last convolution filters, largest "
                + "first, ties by lower index"
            : "seeded by --seed, increasing order");
    m.put("selected_channels", t.indices());
    return m;
  }

  static void writeAtomically(Path file, Object value) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), value);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static long[] longs(int[] a) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }
}
