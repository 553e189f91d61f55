package dev.splitlearn.crowd;

import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the crowd under each schedule, the same devices, shards, selections, dropouts and initial
 * weights for both: split learning (SplitFed, see {@link SplitFedSchedule}) and FedAvg (see {@link
 * FedAvgSchedule}). One live engine copy of each model part; devices hold float arrays. Time spent
 * on evaluation is not charged to the simulated clock.
 */
public final class CrowdSimulation {
  /** The two schedules. */
  public enum Kind {
    /** Split learning across the crowd, SplitFed with one server model. */
    SPLIT,
    /** Federated averaging of whole models. */
    FEDAVG
  }

  /**
   * One evaluation of the global model.
   *
   * @param round rounds completed (0: the initial model)
   * @param simulatedSeconds simulated time at the end of that round
   * @param bytesUp device-to-server bytes so far
   * @param bytesDown server-to-device bytes so far
   * @param testAccuracy accuracy on the test samples
   * @param dropouts dropped device-rounds so far
   * @param updatesApplied device updates averaged into the global model so far
   */
  public record Point(
      int round,
      double simulatedSeconds,
      long bytesUp,
      long bytesDown,
      double testAccuracy,
      int dropouts,
      int updatesApplied) {}

  /**
   * A schedule's run.
   *
   * @param schedule {@code split} or {@code fedavg}
   * @param points evaluations in order
   * @param wallSeconds wall-clock seconds the simulation took (real training and evaluation
   *     included)
   * @param trace every event of the virtual clock, in order
   * @param traceSha256 digest of the trace
   * @param globalWeights the final global weights the devices train (the client part for split)
   */
  public record Result(
      String schedule,
      List<Point> points,
      double wallSeconds,
      List<VirtualClock.Event> trace,
      String traceSha256,
      float[][] globalWeights) {}

  /**
   * What a device's work costs, from the model: forward FLOPs per sample of each part (convolution
   * and linear layers, 2 per multiply-add, {@link dev.splitlearn.models.Flops}) and bytes on the
   * wire.
   */
  public record Costs(
      long clientFlopsPerSample,
      long serverFlopsPerSample,
      long modelFlopsPerSample,
      long clientPartBytes,
      long modelBytes,
      long activationBytesPerSample) {}

  private final CrowdConfig config;
  private final Crowd crowd;
  private final Dataset test;
  private final SplitPlan plan;
  private final OptimizerSpec sgd;

  /**
   * A simulation of {@code crowd}, evaluated on {@code test}.
   *
   * @throws IllegalArgumentException if the model or cut is unknown (naming the key)
   */
  public CrowdSimulation(CrowdConfig config, Crowd crowd, Dataset test) {
    this.config = config;
    this.crowd = crowd;
    this.test = test;
    int[] s = test.sampleShape();
    long[] shape = new long[s.length];
    for (int i = 0; i < s.length; i++) {
      shape[i] = s[i];
    }
    ModelSpec spec;
    try {
      spec = ModelZoo.get(config.model(), shape, test.numClasses());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model: " + e.getMessage(), e);
    }
    try {
      plan =
          config.cut() == null
              ? spec.plan(Protocol.VANILLA)
              : spec.plan(Protocol.VANILLA, List.of(config.cut()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cut: " + e.getMessage(), e);
    }
    this.sgd = new OptimizerSpec("sgd", config.lr(), 0, 0, "constant", 1);
  }

  /** The split plan (vanilla: the server holds the labels). */
  public SplitPlan plan() {
    return plan;
  }

  /** FLOPs and bytes of the model's parts (builds them once). */
  public Costs costs() {
    int cut = plan.to(dev.splitlearn.models.Role.EXTRACTOR);
    int end = plan.model().stages().size();
    PartModel c = PartModel.create("client", plan.model(), 0, cut, config.seed(), sgd);
    PartModel s = PartModel.create("server", plan.model(), cut, end, config.seed(), sgd);
    try {
      long act = plan.model().boundaryShapes().get(cut).size() * Float.BYTES;
      return new Costs(
          c.flopsPerSample(),
          s.flopsPerSample(),
          c.flopsPerSample() + s.flopsPerSample(),
          c.parameterCount() * Float.BYTES,
          (c.parameterCount() + s.parameterCount()) * Float.BYTES,
          act);
    } finally {
      EngineThread.run(
          () -> {
            c.close();
            s.close();
          });
    }
  }

  /** Runs {@code kind} for the configured rounds; {@code progress} gets a line per evaluation. */
  public Result run(Kind kind, Consumer<String> progress) {
    long t0 = System.nanoTime();
    VirtualClock clock = new VirtualClock();
    int cut = plan.to(dev.splitlearn.models.Role.EXTRACTOR);
    int end = plan.model().stages().size();
    try (CrowdSchedule schedule =
        kind == Kind.SPLIT
            ? new SplitFedSchedule(
                clock,
                config,
                PartModel.create("client", plan.model(), 0, cut, config.seed(), sgd),
                PartModel.create("server", plan.model(), cut, end, config.seed(), sgd),
                plan.model().boundaryShapes().get(cut).size())
            : new FedAvgSchedule(
                clock,
                config,
                PartModel.create("model", plan.model(), 0, end, config.seed(), sgd))) {
      List<Point> points = new ArrayList<>();
      evaluate(schedule, clock, 0, points, progress);
      startRound(schedule, clock, 1, points, progress);
      clock.run();
      return new Result(
          schedule.name(),
          List.copyOf(points),
          (System.nanoTime() - t0) / 1e9,
          clock.trace(),
          clock.traceSha256(),
          schedule.globalWeights());
    }
  }

  private void startRound(
      CrowdSchedule schedule,
      VirtualClock clock,
      int round,
      List<Point> points,
      Consumer<String> progress) {
    List<Participant> ps = crowd.select(round, config.devicesPerRound(), schedule::units);
    schedule.startRound(
        round,
        ps,
        () -> {
          if (round % config.evalEvery() == 0 || round == config.rounds()) {
            evaluate(schedule, clock, round, points, progress);
          }
          if (round < config.rounds()) {
            startRound(schedule, clock, round + 1, points, progress);
          }
        });
  }

  private void evaluate(
      CrowdSchedule schedule,
      VirtualClock clock,
      int round,
      List<Point> points,
      Consumer<String> progress) {
    Ledger l = schedule.ledger();
    Point p =
        new Point(
            round,
            clock.now(),
            l.bytesUp(),
            l.bytesDown(),
            schedule.evaluate(test),
            l.dropouts(),
            l.updatesApplied());
    points.add(p);
    progress.accept(
        String.format(
            java.util.Locale.ROOT,
            "%s round %d/%d: simulated %.1f s, %.1f MB up, %.1f MB down, accuracy %.4f, %d dropouts",
            schedule.name(),
            round,
            config.rounds(),
            p.simulatedSeconds(),
            p.bytesUp() / 1e6,
            p.bytesDown() / 1e6,
            p.testAccuracy(),
            p.dropouts()));
  }
}
