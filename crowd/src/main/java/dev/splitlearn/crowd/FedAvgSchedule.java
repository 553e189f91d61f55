package dev.splitlearn.crowd;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.Losses;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.core.train.Predictor;
import dev.splitlearn.data.Dataset;

/**
 * FedAvg (McMahan et al. 2017) on the same crowd: every selected device downloads the whole model,
 * trains it on its shard for the configured local epochs, and uploads it; the server averages the
 * uploads it received, weighted by samples, when the last participant has uploaded or left. A
 * device that leaves uploads nothing (its local training is then not even computed).
 *
 * <p>Charged time: {@code 3 b F_model} FLOPs per local step (forward, and a backward counted as
 * twice a forward); download and upload of the whole model as float32, latency + bytes / bandwidth
 * each.
 */
final class FedAvgSchedule extends CrowdSchedule {
  private final PartModel model;

  FedAvgSchedule(VirtualClock clock, CrowdConfig config, PartModel model) {
    this(clock, config, model, EngineThread.call(() -> new Weights(model)));
  }

  private FedAvgSchedule(VirtualClock clock, CrowdConfig config, PartModel model, Weights layout) {
    super(clock, config, layout, EngineThread.call(() -> layout.read(model)));
    this.model = model;
  }

  @Override
  String name() {
    return "fedavg";
  }

  @Override
  String downloadEvent() {
    return "model-down";
  }

  @Override
  void deviceRound(Participant p, int round, Weights.Sum sum, Runnable finished) {
    int n = p.data().size();
    int steps = localSteps(n);
    int stop = p.dropBefore() >= 0 ? p.dropBefore() : steps;
    double seconds = 0;
    for (int k = 0; k < stop; k++) {
      seconds += p.device().computeSeconds(3.0 * batchSize(n, k) * model.flopsPerSample());
    }
    if (p.dropBefore() >= 0) {
      clock.after(
          seconds,
          "dropout",
          p.id(),
          round,
          () -> {
            ledger.dropout();
            finished.run();
          });
      return;
    }
    clock.after(
        seconds,
        "local-training",
        p.id(),
        round,
        () -> {
          float[][] trained = train(p, round, steps);
          clock.after(
              p.device().uploadSeconds(layout.bytes()),
              "model-up",
              p.id(),
              round,
              () -> {
                ledger.up(layout.bytes());
                sum.add(trained, n);
                finished.run();
              });
        });
  }

  /** The real local training: the global model, {@code steps} SGD steps on the device's shard. */
  private float[][] train(Participant p, int round, int steps) {
    LocalData data = new LocalData(p, round);
    return EngineThread.call(
        () -> {
          layout.load(model, global);
          for (int k = 0; k < steps; k++) {
            int b = data.load(k);
            try (NDManager scope = model.newScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              gc.backward(
                  Losses.crossEntropy(
                      model.forward(
                          scope.create(data.batches.features(b), data.batches.shape(b)), true),
                      data.batches.labels(b)));
            }
            model.step();
          }
          return layout.read(model);
        });
  }

  @Override
  double evaluate(Dataset test) {
    EngineThread.run(() -> layout.load(model, global));
    Predictor predictor =
        (step, x, shape) ->
            EngineThread.call(
                () -> {
                  try (NDManager scope = model.newScope()) {
                    return model.forward(scope.create(x, shape), false).toFloatArray();
                  }
                });
    return accuracy(predictor, test);
  }

  @Override
  public void close() {
    EngineThread.run(model::close);
  }
}
