package dev.splitlearn.cli;

import dev.splitlearn.core.client.ClientConfig;
import dev.splitlearn.core.client.ClientEpoch;
import dev.splitlearn.core.client.ClientListener;
import dev.splitlearn.core.client.ClientStep;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.client.SplitClientRuntime;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.WireTransport;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.EpochStats;
import dev.splitlearn.core.train.RunReport;
import dev.splitlearn.core.train.SplitTraining;
import dev.splitlearn.core.train.TrainingConfig;
import dev.splitlearn.core.train.TrainingListener;
import dev.splitlearn.core.train.WholeModelTraining;
import dev.splitlearn.splithe.CkksEncryption;
import dev.splitlearn.transport.grpc.GrpcLink;
import dev.splitlearn.transport.grpc.GrpcServer;
import java.io.PrintWriter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitlearn bench}: step times of two variants of the same run, one epoch each per pair,
 * the two epochs taking turns on the engine every {@code --segment} steps ({@link Turnstile}) so
 * that both see the same machine load. Without {@code --he}: the unsplit model against the split
 * one (split overhead). With {@code --he ckks}: the plaintext split against the encrypted split
 * (cost of encryption). With {@code --transport grpc}: the in-process split against the same split
 * over gRPC on loopback (server and client in this JVM, so only the transport differs). The two
 * take the first turn in alternate pairs, so that an advantage of either position evens out over
 * the pairs ({@code --calibrate} times the baseline against itself to measure it). Reports each
 * pair with the seconds the JIT compiled during it and the share of the cores other programs and
 * the hypervisor took ({@link CpuShare}; a note when either reached 5%), the first (cold) pair
 * apart, the median ratio of the warm pairs, the bytes per step each way, and where a step's time
 * went on each side: the engine thread's tasks (how many, and how long) and the rest (hand-overs
 * between threads, encoding, transport).
 *
 * <p>Turns are 2 steps long by default. With turns of 10 steps, on a 2-core AMD EPYC VM, steps
 * stalled for 100-600 ms (the engine thread waiting in libgomp for its OpenMP partner; cause not
 * established, none with one OpenMP thread) at the same steps of each run, so they fell on the same
 * side of each pair: {@code --calibrate} gave 0.933-0.978 in 13 runs, and split/unsplit came out
 * about 0.04 lower or 0.05 higher than with 2-step turns depending on which side the split had in
 * which pair. With 2-step turns {@code --calibrate} gave 0.989-1.015 in 4 runs (BENCHMARKS.md).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Epoch-time ratio measured side by side: split over unsplit, with --he ckks encrypted over "
            + "plaintext split, with --transport grpc gRPC over in-process.")
final class BenchCommand implements Callable<Integer> {
  /** Steps in each turn of the profiled pair (at least). */
  private static final int PROFILED_TURN = 10;

  @Spec CommandSpec spec;
  @Mixin TrainOptions options;

  @Option(
      names = "--repeats",
      description =
          "Pairs of epochs, the first cold (default: ${DEFAULT-VALUE}: an odd number, so that each"
              + " side takes the first turn in as many warm pairs as the other).",
      defaultValue = "3")
  int repeats;

  @Option(
      names = "--segment",
      description =
          "Steps each side runs before handing the engine to the other, "
              + "within a pair (default: ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int segment;

  @Option(
      names = "--profile",
      description =
          "After the timed pairs, run one more pair (not counted) with libtorch's profiler on "
              + "the second timed turn of each side: OUT/profile-SIDE.json and, per operation, "
              + "milliseconds per step in the results.")
  boolean profile;

  @Option(
      names = "--calibrate",
      description =
          "Time the baseline against itself: both sides run the same epoch, so the ratios show "
              + "this machine's noise and any bias of the method (expect 1.0).")
  boolean calibrate;

  /** Runs one side's epoch, reporting its steps to {@code turns} as side {@code side}. */
  private interface SideRun {
    Epoch run(Turnstile turns, int side) throws Exception;
  }

  /**
   * One side's epoch: its timed steps, their mean time and the part of it the engine thread was
   * busy, engine tasks per step, accuracy after it, bytes each way.
   */
  private record Epoch(
      double secondsPerStep,
      double engineSecondsPerStep,
      double engineTasksPerStep,
      long timedSteps,
      double accuracy,
      long bytesUp,
      long bytesDown) {
    Epoch(double accuracy, long bytesUp, long bytesDown) {
      this(Double.NaN, Double.NaN, Double.NaN, 0, accuracy, bytesUp, bytesDown);
    }

    Epoch timed(Turnstile turns, int side) {
      return new Epoch(
          turns.secondsPerStep(side),
          turns.engineSecondsPerStep(side),
          turns.engineTasksPerStep(side),
          turns.timedSteps(side),
          accuracy,
          bytesUp,
          bytesDown);
    }

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seconds_per_step", secondsPerStep);
      m.put("engine_seconds_per_step", engineSecondsPerStep);
      m.put("engine_tasks_per_step", engineTasksPerStep);
      m.put("timed_steps", timedSteps);
      m.put("test_accuracy", accuracy);
      m.put("bytes_client_to_server", bytesUp);
      m.put("bytes_server_to_client", bytesDown);
      return m;
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    CkksEncryption he = options.encryption();
    options.clients = 1;
    options.epochs = 1;
    if (!options.extractor.equals("trained") || options.layers != null) {
      throw new IllegalArgumentException(
          "bench times a split model against the same model unsplit: --extractor "
              + "pretrained and --layers are not supported there");
    }
    Runner.Setup s = new Runner(options, err).setup();
    boolean grpc = he == null && options.transport.equals("grpc");
    String baseName = he != null ? "plaintext-split" : grpc ? "in-process-split" : "unsplit";
    String variantName =
        calibrate
            ? baseName + "-again"
            : he != null ? "encrypted-split" : grpc ? "grpc-split" : "split";
    SideRun baseRun =
        (turns, side) ->
            he == null && !grpc ? unsplit(s, turns, side) : split(s, null, turns, side);
    SideRun variantRun =
        calibrate
            ? baseRun
            : (turns, side) -> grpc ? grpcSplit(s, turns, side) : split(s, he, turns, side);
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
    List<Double> jitSeconds = new ArrayList<>();
    List<String> firstTurns = new ArrayList<>();
    List<CpuShare> cpu = new ArrayList<>();
    List<Epoch> base = new ArrayList<>();
    List<Epoch> variant = new ArrayList<>();
    if (repeats < 1) {
      throw new IllegalArgumentException("--repeats must be >= 1, got " + repeats);
    }
    OpProfile opProfile = null;
    for (int r = 0; r < repeats + (profile ? 1 : 0); r++) {
      boolean profiled = r == repeats;
      if (profiled) {
        Files.createDirectories(options.out);
        opProfile = new OpProfile(options.out, baseName, variantName);
      }
      // the profiled pair's times are not reported: its turns may be longer, for a steadier profile
      Turnstile turns =
          profiled
              ? new Turnstile(Math.max(segment, PROFILED_TURN), opProfile, 2)
              : new Turnstile(segment);
      // side 0 takes the first timed turn; the variant has it in even pairs, so that an advantage
      // of either position evens out (the profiled pair keeps the order its names assume)
      int vSide = profiled || r % 2 == 0 ? 1 : 0;
      int bSide = 1 - vSide;
      long jit0 = jitTimed ? jit.getTotalCompilationTime() : 0;
      CpuShare.Sample cpu0 = CpuShare.sample();
      Epoch[] b = new Epoch[1];
      Exception[] failed = new Exception[1];
      Thread baseThread =
          new Thread(
              () -> {
                try {
                  b[0] = baseRun.run(turns, bSide);
                } catch (Exception e) {
                  failed[0] = e;
                }
              },
              "bench-" + baseName);
      baseThread.start();
      Epoch v = variantRun.run(turns, vSide);
      baseThread.join();
      if (failed[0] != null) {
        throw failed[0];
      }
      if (profiled) {
        break; // the profiler's overhead is in this pair's times: they are not reported
      }
      base.add(b[0].timed(turns, bSide));
      variant.add(v.timed(turns, vSide));
      jitSeconds.add(jitTimed ? (jit.getTotalCompilationTime() - jit0) / 1e3 : null);
      cpu.add(CpuShare.between(cpu0, CpuShare.sample()));
      firstTurns.add(vSide == 0 ? variantName : baseName);
      Epoch bt = base.get(r);
      Epoch vt = variant.get(r);
      err.printf(
          "pair %d: %s %.2f ms/step (acc %.4f, %.1f MB), %s %.2f ms/step (acc %.4f, %.1f MB), ratio %.3f"
              + " (%d and %d steps timed, %s first, JIT compiling %s%s)%n",
          r + 1,
          baseName,
          1e3 * bt.secondsPerStep(),
          bt.accuracy(),
          (bt.bytesUp() + bt.bytesDown()) / 1e6,
          variantName,
          1e3 * vt.secondsPerStep(),
          vt.accuracy(),
          (vt.bytesUp() + vt.bytesDown()) / 1e6,
          vt.secondsPerStep() / bt.secondsPerStep(),
          bt.timedSteps(),
          vt.timedSteps(),
          firstTurns.get(r),
          jitSeconds.get(r) == null ? "unknown" : String.format("%.2f s", jitSeconds.get(r)),
          cpu.get(r) == null
              ? ""
              : String.format(
                  ", other programs %.1f%% and the hypervisor %.1f%% of the cores",
                  100 * cpu.get(r).others(), 100 * cpu.get(r).steal()));
    }
    double sb = base.stream().mapToDouble(Epoch::secondsPerStep).sum();
    double sv = variant.stream().mapToDouble(Epoch::secondsPerStep).sum();
    List<Double> warm = new ArrayList<>();
    for (int i = 1; i < repeats; i++) {
      warm.add(variant.get(i).secondsPerStep() / base.get(i).secondsPerStep());
    }
    warm.sort(null);
    double warmMedian =
        warm.isEmpty()
            ? Double.NaN
            : warm.size() % 2 == 1
                ? warm.get(warm.size() / 2)
                : (warm.get(warm.size() / 2 - 1) + warm.get(warm.size() / 2)) / 2;
    double cold = variant.get(0).secondsPerStep() / base.get(0).secondsPerStep();
    long steps = (s.train().size() + options.batch - 1) / options.batch;
    Epoch last = variant.get(variant.size() - 1);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("plan", s.plan().toString());
    r.put("dataset", options.dataset);
    r.put("train_samples", s.train().size());
    r.put("batch", options.batch);
    if (he != null) {
      r.put(
          "he",
          new TreeMap<>(
              Map.of("parameters", he.parameterSet(), "gradients", he.exchange().toString())));
    }
    r.put(baseName, base.stream().map(Epoch::json).toList());
    r.put(variantName, variant.stream().map(Epoch::json).toList());
    r.put("ratio_all_pairs", sv / sb);
    r.put("ratio_cold_pair", cold);
    r.put("ratio_warm_median", warmMedian);
    r.put("warm_pairs", warm.size());
    r.put("calibration", calibrate);
    r.put("jit_seconds_per_pair", jitSeconds);
    r.put("first_turn_per_pair", firstTurns);
    r.put(
        "other_programs_cpu_share_per_pair",
        cpu.stream().map(c -> c == null ? null : c.others()).toList());
    r.put("steal_cpu_share_per_pair", cpu.stream().map(c -> c == null ? null : c.steal()).toList());
    r.put(variantName + "_bytes_per_step_up", last.bytesUp() / (double) steps);
    r.put(variantName + "_bytes_per_step_down", last.bytesDown() / (double) steps);
    if (opProfile != null) {
      r.put("profile", profileJson(opProfile));
    }
    Versions.provenance(r);
    String file = he != null ? "bench-he.json" : grpc ? "bench-grpc.json" : "bench-overhead.json";
    Runner.writeAtomically(options.out.resolve(file), r);
    spec.commandLine()
        .getOut()
        .printf(
            "%s/%s step time ratio (interleaved): warm median %.3f (%d warm pairs), cold pair %.3f, "
                + "all pairs %.3f; %s bytes per step %.0f up, %.0f down (%s)%n",
            variantName,
            baseName,
            warmMedian,
            warm.size(),
            cold,
            sv / sb,
            variantName,
            last.bytesUp() / (double) steps,
            last.bytesDown() / (double) steps,
            s.plan());
    List<Epoch> warmBase = base.subList(repeats > 1 ? 1 : 0, repeats);
    List<Epoch> warmVariant = variant.subList(repeats > 1 ? 1 : 0, repeats);
    spec.commandLine()
        .getOut()
        .printf(
            "where a step's time went (mean of the %s): %s; %s%n",
            repeats > 1 ? "warm pairs" : "cold pair",
            stepTime(baseName, warmBase),
            stepTime(variantName, warmVariant));
    long variantFirst = firstTurns.stream().skip(1).filter(variantName::equals).count();
    if (2 * variantFirst != warm.size()) {
      // on the project's machines split/unsplit came out 0.02-0.03 higher in the warm pairs the
      // split started than in those the unsplit started (BENCHMARKS.md)
      err.printf(
          "note: %s took the first turn in %d of the %d warm pairs: the order within a pair can"
              + " move the ratio, and an odd --repeats balances it%n",
          variantName, variantFirst, warm.size());
    }
    long noisy = cpu.stream().filter(c -> c != null && c.noisy()).count();
    if (noisy > 0) {
      err.printf(
          "note: in %d of %d pairs other programs or the hypervisor took %.0f%% or more of the"
              + " cores: those times are not this machine's alone; rerun on a quiet machine%n",
          noisy, repeats, 100 * CpuShare.NOISY);
    }
    if (opProfile != null) {
      printProfile(opProfile, baseName, variantName);
    }
    return ExitCode.OK;
  }

  /** A side's mean step time, split into engine tasks and the rest. */
  private static String stepTime(String name, List<Epoch> epochs) {
    double step = epochs.stream().mapToDouble(Epoch::secondsPerStep).average().orElseThrow();
    double engine =
        epochs.stream().mapToDouble(Epoch::engineSecondsPerStep).average().orElseThrow();
    double tasks = epochs.stream().mapToDouble(Epoch::engineTasksPerStep).average().orElseThrow();
    return String.format(
        "%s %.2f ms = %.2f in %.1f engine tasks + %.2f outside them (hand-overs between threads,"
            + " encoding, transport)",
        name, 1e3 * step, 1e3 * engine, tasks, 1e3 * (step - engine));
  }

  private static Map<String, Object> profileJson(OpProfile p) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int side = 0; side < 2; side++) {
      OpProfile.Side s = p.side(side);
      if (s == null) {
        continue;
      }
      Map<String, Object> ops = new LinkedHashMap<>();
      s.perStep()
          .forEach((op, v) -> ops.put(op, Map.of("ms_per_step", v[0], "calls_per_step", v[1])));
      m.put(
          side == 0 ? "base" : "variant",
          Map.of(
              "steps",
              s.steps(),
              "ms_per_step_in_operations",
              s.totalMs(),
              "ms_per_step_between_operations",
              s.betweenMs(),
              "operations",
              ops));
    }
    return m;
  }

  private void printProfile(OpProfile p, String baseName, String variantName) {
    PrintWriter out = spec.commandLine().getOut();
    OpProfile.Side b = p.side(0);
    OpProfile.Side v = p.side(1);
    if (b == null || v == null) {
      out.println(
          "profile: an epoch ended before its second timed turn of "
              + Math.max(segment, PROFILED_TURN)
              + " steps (raise --limit)");
      return;
    }
    out.printf(
        "profile (%d and %d steps, an extra pair): ms/step in top-level libtorch operations %.2f"
            + " %s, %.2f %s; between them (Java, JNI, hand-overs) %.2f %s, %.2f %s; largest"
            + " differences (ms/step, calls/step):%n",
        b.steps(),
        v.steps(),
        b.totalMs(),
        baseName,
        v.totalMs(),
        variantName,
        b.betweenMs(),
        baseName,
        v.betweenMs(),
        variantName);
    Set<String> ops = new LinkedHashSet<>(b.perStep().keySet());
    ops.addAll(v.perStep().keySet());
    double[] none = {0, 0};
    Function<String, Double> change =
        op ->
            Math.abs(v.perStep().getOrDefault(op, none)[0] - b.perStep().getOrDefault(op, none)[0]);
    ops.stream()
        .sorted(Comparator.comparing(change).reversed())
        .limit(8)
        .forEach(
            op -> {
              double[] x = b.perStep().getOrDefault(op, none);
              double[] y = v.perStep().getOrDefault(op, none);
              out.printf("  %-60s %7.3f (%4.1f) -> %7.3f (%4.1f)%n", op, x[0], x[1], y[0], y[1]);
            });
  }

  private TrainingConfig config(Runner.Setup s, CkksEncryption he) {
    return new TrainingConfig(
        s.config().schedule(),
        1,
        options.batch,
        s.config().optimizer(),
        options.seed,
        1,
        null,
        false,
        Augmentation.NONE,
        he);
  }

  private Epoch unsplit(Runner.Setup s, Turnstile turns, int side) throws Exception {
    RunReport u =
        WholeModelTraining.central(
            s.spec(), s.train(), s.test(), config(s, null), listener(turns, side));
    return new Epoch(u.evaluation().accuracy(), 0, 0);
  }

  private static TrainingListener listener(Turnstile turns, int side) {
    return new TrainingListener() {
      @Override
      public void onStep(String phase, int epoch, long done, long total, float loss) {
        try {
          turns.step(side, done, total);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    };
  }

  /**
   * One epoch with the server behind a gRPC port on loopback and the client talking to it, in this
   * JVM.
   */
  private Epoch grpcSplit(Runner.Setup s, Turnstile turns, int side) throws Exception {
    TrainingConfig c = config(s, null);
    try (SplitServerRuntime server =
            new SplitServerRuntime(
                s.plan(),
                options.seed,
                c.optimizer(),
                null,
                new ServerConfig(
                    1, c.schedule(), 1, 1, true, Duration.ofMinutes(30), null, false));
        GrpcServer grpc = GrpcServer.start(server, "127.0.0.1", 0)) {
      WireTransport link =
          new WireTransport(
              GrpcLink.connect("127.0.0.1:" + grpc.port(), Duration.ofMinutes(35)),
              new MessageCodec(
                  MessageCodec.DEFAULT_MAX_BYTES, Compression.parse(options.compression)));
      try (SplitClient client = new SplitClient(0, s.plan(), options.seed, c.optimizer(), link)) {
        List<ClientEpoch> epochs =
            new SplitClientRuntime(
                    client,
                    s.train(),
                    s.test(),
                    new ClientConfig(
                        c.optimizer(),
                        options.batch,
                        options.seed,
                        Augmentation.NONE,
                        Compression.parse(options.compression),
                        true,
                        null,
                        false),
                    new ClientListener() {
                      @Override
                      public void onStep(ClientStep step) {
                        listener(turns, side)
                            .onStep("grpc", step.epoch(), step.done(), step.total(), step.loss());
                      }
                    })
                .run();
        ClientEpoch e = epochs.get(0);
        return new Epoch(e.evaluation().accuracy(), e.bytesUp(), e.bytesDown());
      }
    }
  }

  private Epoch split(Runner.Setup s, CkksEncryption he, Turnstile turns, int side)
      throws Exception {
    try (SplitTraining t =
        new SplitTraining(
            s.plan(),
            List.of(s.train()),
            s.test(),
            config(s, he),
            listener(turns, side),
            Compression.parse(options.compression))) {
      RunReport r = t.run();
      EpochStats e = r.epochs().get(0);
      return new Epoch(r.evaluation().accuracy(), e.trainBytesUp(), e.trainBytesDown());
    }
  }
}
