package dev.splitlearn.cli;

import ai.djl.ndarray.types.Shape;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.Barrier;
import dev.splitlearn.core.protocol.Message.FetchWeights;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.Message.Gradient;
import dev.splitlearn.core.protocol.Message.Hello;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.Message.ServerOutput;
import dev.splitlearn.core.protocol.Message.Weights;
import dev.splitlearn.core.protocol.Message.Welcome;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.WireTransport;
import dev.splitlearn.models.Role;
import dev.splitlearn.models.SplitPlan;
import dev.splitlearn.transport.grpc.GrpcLink;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code splitlearn load}: a load generator for a server. Opens {@code --sessions} client sessions
 * at once (ids {@code 0 .. N-1}), each sending {@code --steps} training steps of synthetic
 * activations of the plan's cut shape and, in U-shaped mode, synthetic gradients of what the server
 * returns, with the weight exchanges and the barrier of the parallel schedule; the server does its
 * real work. Reports each session's steps per second and the total, fastest and slowest session,
 * and writes OUT/load.json.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Load-test a server with N concurrent sessions of synthetic activations; write OUT/load.json.")
final class LoadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TrainOptions options;

  @Option(
      names = "--server",
      required = true,
      description = "The server, HOST:PORT (started with --clients N).")
  String server;

  @Option(names = "--sessions", required = true, description = "Concurrent client sessions N.")
  int sessions;

  @Option(names = "--steps", required = true, description = "Training steps per session.")
  int steps;

  private record SessionRun(int client, long steps, long firstNanos, long lastNanos) {
    double stepsPerSecond() {
      return (steps - 1) / ((lastNanos - firstNanos) / 1e9); // steps after the first one
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (sessions < 1 || steps < 2) {
      throw new IllegalArgumentException("--sessions must be >= 1 and --steps >= 2");
    }
    SplitPlan plan = new Runner(options, err).planWithoutData();
    Shape cut = EngineThread.call(() -> plan.model().boundaryShapes()).get(plan.from(Role.CLOUD));
    long[] shape = cut.getShape().clone();
    shape[0] = options.batch;
    float[] activations = new float[(int) new Shape(shape).size()];
    Random random = new Random(options.seed);
    for (int i = 0; i < activations.length; i++) {
      activations[i] = random.nextFloat();
    }
    List<SessionRun> runs = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    Exception[] failure = new Exception[1];
    for (int i = 0; i < sessions; i++) {
      int id = i;
      Thread t =
          new Thread(
              () -> {
                try {
                  SessionRun r = session(id, plan, shape, activations);
                  synchronized (runs) {
                    runs.add(r);
                  }
                } catch (Exception e) {
                  synchronized (runs) {
                    failure[0] = failure[0] == null ? e : failure[0];
                  }
                }
              },
              "load-" + i);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    long first = runs.stream().mapToLong(SessionRun::firstNanos).min().orElseThrow();
    long last = runs.stream().mapToLong(SessionRun::lastNanos).max().orElseThrow();
    long total = runs.stream().mapToLong(SessionRun::steps).sum();
    double[] rates = runs.stream().mapToDouble(SessionRun::stepsPerSecond).sorted().toArray();
    double median =
        rates.length % 2 == 1
            ? rates[rates.length / 2]
            : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
    double throughput =
        (total - runs.size()) / ((last - first) / 1e9); // steps after each session's first
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("plan", plan.fingerprint());
    r.put("sessions", sessions);
    r.put("steps_per_session", steps);
    r.put("batch", options.batch);
    r.put("activation_shape", Arrays.toString(shape));
    r.put("server_steps_per_second", throughput);
    r.put("session_steps_per_second_median", median);
    r.put("session_steps_per_second_min", rates[0]);
    r.put("session_steps_per_second_max", rates[rates.length - 1]);
    r.put("slowest_over_median", rates[0] / median);
    r.put("seconds", (last - first) / 1e9);
    Versions.provenance(r);
    Runner.writeAtomically(options.out.resolve("load.json"), r);
    spec.commandLine()
        .getOut()
        .printf(
            "%d sessions x %d steps: server %.1f steps/s; per session median %.2f, "
                + "slowest %.2f (%.2f of the median), fastest %.2f steps/s; %.1f s%n",
            sessions,
            steps,
            throughput,
            median,
            rates[0],
            rates[0] / median,
            rates[rates.length - 1],
            (last - first) / 1e9);
    return ExitCode.OK;
  }

  /** One client session: handshake, the steps with the schedule's exchanges, the barrier. */
  private SessionRun session(int id, SplitPlan plan, long[] shape, float[] activations)
      throws IOException {
    try (WireTransport t =
        new WireTransport(GrpcLink.connect(server, Duration.ofMinutes(10)), new MessageCodec())) {
      Message m =
          t.exchange(
              new Hello(
                  id,
                  MessageCodec.VERSION,
                  plan.fingerprint(),
                  Compression.FLOAT32,
                  "",
                  steps,
                  (long) steps * options.batch));
      Welcome w = (Welcome) m;
      int[] labels = new int[options.batch];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = i % plan.model().numClasses();
      }
      FloatTensor a = new FloatTensor(shape, activations);
      long first = 0;
      long last = 0;
      long done = 0;
      long round = 0;
      long step = (long) (w.firstEpoch() - 1) * steps;
      for (int epoch = w.firstEpoch(); epoch <= w.epochs(); epoch++) {
        for (int k = 0; k < w.maxBatches(); k++) {
          if (k < steps) {
            step(t, id, step++, a, plan.labelsOnClient() ? null : labels);
            last = System.nanoTime();
            first = done++ == 0 ? last : first;
          }
          if (w.clients() > 1 && ((k + 1) % w.syncEvery() == 0 || k == w.maxBatches() - 1)) {
            t.exchange(
                new Weights(
                    id,
                    round,
                    steps,
                    List.of(
                        new NamedTensor("load", new FloatTensor(new long[] {1}, new float[1])))));
            t.exchange(new FetchWeights(id, round++));
          }
        }
        t.exchange(new Barrier(id, epoch));
      }
      return new SessionRun(id, done, first, last);
    }
  }

  private static void step(WireTransport t, int id, long step, FloatTensor a, int[] labels)
      throws IOException {
    Message reply = t.exchange(new Forward(id, step, true, a, labels));
    if (reply instanceof ServerOutput out) {
      float[] g = new float[out.output().size()];
      Arrays.fill(g, 1e-4f);
      t.exchange(new Gradient(id, step, new FloatTensor(out.output().shape(), g), Float.NaN));
    } else if (!(reply instanceof Gradient)) {
      throw new IOException("client " + id + " step " + step + ": unexpected " + reply);
    }
  }
}
