package dev.splitlearn.crowd;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.Losses;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.core.train.Predictor;
import dev.splitlearn.data.Dataset;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Split learning across the crowd, SplitFed style (Thapa et al. 2022, the variant with one server
 * model): every selected device downloads the global client part, then runs its local steps as
 * vanilla split learning (its forward pass to the cut, activations and labels up, the server's
 * forward, loss and backward, the cut gradient down, its backward pass); the one server model
 * serves the steps in the order they reach it (first come, first served) and updates after each. At
 * the end of its round a device uploads its client part; the server averages the uploads it
 * received, weighted by samples. A device that leaves keeps its client update to itself; the server
 * updates made from its earlier steps stay.
 *
 * <p>Charged time: client forward {@code b * F_client} FLOPs, server step {@code 3 b F_server}
 * (forward, and a backward counted as twice a forward), client backward {@code 2 b F_client}; each
 * transfer latency + bytes / bandwidth. Bytes: activations and their gradients as float32, labels
 * as int32, the client part as float32 each way.
 */
final class SplitFedSchedule extends CrowdSchedule {
  private final PartModel client;
  private final PartModel server;
  private final long activationFloats;
  private final Map<Integer, float[][]> own = new HashMap<>();
  private int live =
      -1; // whose weights the client part holds: -1 the global ones, -2 nobody's (stale)
  private final ArrayDeque<Runnable> serverQueue = new ArrayDeque<>();
  private boolean serverBusy;

  SplitFedSchedule(
      VirtualClock clock,
      CrowdConfig config,
      PartModel client,
      PartModel server,
      long activationFloats) {
    this(
        clock,
        config,
        client,
        server,
        activationFloats,
        EngineThread.call(() -> new Weights(client)));
  }

  private SplitFedSchedule(
      VirtualClock clock,
      CrowdConfig config,
      PartModel client,
      PartModel server,
      long activationFloats,
      Weights layout) {
    super(clock, config, layout, EngineThread.call(() -> layout.read(client)));
    this.client = client;
    this.server = server;
    this.activationFloats = activationFloats;
  }

  @Override
  String name() {
    return "split";
  }

  /** Bytes of one sample's activations (up) or their gradient (down). */
  long activationBytes(int samples) {
    return samples * activationFloats * Float.BYTES;
  }

  @Override
  String downloadEvent() {
    return "client-part-down";
  }

  @Override
  void deviceRound(Participant p, int round, Weights.Sum sum, Runnable finished) {
    step(p, new LocalData(p, round), 0, round, sum, finished);
  }

  /** The device begins work unit {@code k}: a local step, the upload, or leaving. */
  private void step(
      Participant p, LocalData data, int k, int round, Weights.Sum sum, Runnable finished) {
    int n = p.data().size();
    if (p.dropsBefore(k)) {
      clock.after(
          0,
          "dropout",
          p.id(),
          round,
          () -> {
            ledger.dropout();
            own.remove(p.id());
            live = live == p.id() ? -2 : live;
            finished.run();
          });
    } else if (k == localSteps(n)) {
      clock.after(
          p.device().uploadSeconds(layout.bytes()),
          "client-part-up",
          p.id(),
          round,
          () -> {
            ledger.up(layout.bytes());
            sum.add(weightsOf(p.id()), n);
            own.remove(p.id());
            finished.run();
          });
    } else {
      int b = batchSize(n, k);
      double forward = p.device().computeSeconds((double) b * client.flopsPerSample());
      long up = activationBytes(b) + (long) b * Integer.BYTES;
      clock.after(
          forward,
          "client-forward",
          p.id(),
          round,
          () ->
              clock.after(
                  p.device().uploadSeconds(up),
                  "activations-up",
                  p.id(),
                  round,
                  () -> {
                    ledger.up(up);
                    serve(() -> serverStep(p, data, k, round, sum, finished));
                  }));
    }
  }

  /** One server, first come first served. */
  private void serve(Runnable work) {
    if (serverBusy) {
      serverQueue.add(work);
    } else {
      serverBusy = true;
      work.run();
    }
  }

  private void serverStep(
      Participant p, LocalData data, int k, int round, Weights.Sum sum, Runnable finished) {
    int b = data.load(k);
    train(p.id(), data, b);
    double seconds = 3.0 * b * server.flopsPerSample() / config.serverFlops();
    clock.after(
        seconds,
        "server-step",
        p.id(),
        round,
        () -> {
          Runnable next = serverQueue.poll();
          serverBusy = next != null;
          if (next != null) {
            next.run();
          }
          long down = activationBytes(b);
          clock.after(
              p.device().downloadSeconds(down),
              "gradients-down",
              p.id(),
              round,
              () -> {
                ledger.down(down);
                double backward = p.device().computeSeconds(2.0 * b * client.flopsPerSample());
                clock.after(
                    backward,
                    "client-backward",
                    p.id(),
                    round,
                    () -> step(p, data, k + 1, round, sum, finished));
              });
        });
  }

  /**
   * The real step: device {@code id}'s client part and the server model, forward and backward, on
   * the engine.
   */
  private void train(int id, LocalData data, int b) {
    float[] x = data.batches.features(b);
    int[] y = data.batches.labels(b);
    EngineThread.run(
        () -> {
          swapIn(id);
          try (NDManager scope = client.newScope();
              GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits =
                server.forward(client.forward(scope.create(x, data.batches.shape(b)), true), true);
            gc.backward(Losses.crossEntropy(logits, y));
          }
          client.step();
          server.step();
        });
  }

  /**
   * Makes the client part hold device {@code id}'s weights (the global ones until it has trained).
   */
  private void swapIn(int id) {
    if (live == id) {
      return;
    }
    if (live >= 0) {
      own.put(live, layout.read(client));
    }
    float[][] w = own.get(id);
    if (w != null || live != -1) {
      layout.load(client, w != null ? w : global);
    }
    live = id;
  }

  private float[][] weightsOf(int id) {
    return live == id ? EngineThread.call(() -> layout.read(client)) : own.getOrDefault(id, global);
  }

  @Override
  void roundEnded() {
    own.clear();
    EngineThread.run(() -> layout.load(client, global));
    live = -1;
  }

  @Override
  double evaluate(Dataset test) {
    Predictor predictor =
        (step, x, shape) ->
            EngineThread.call(
                () -> {
                  try (NDManager scope = client.newScope()) {
                    return server
                        .forward(client.forward(scope.create(x, shape), false), false)
                        .toFloatArray();
                  }
                });
    return accuracy(predictor, test);
  }

  @Override
  public void close() {
    EngineThread.run(
        () -> {
          client.close();
          server.close();
        });
  }
}
