package dev.splitlearn.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.Losses;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.models.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The baselines: the same architecture, unsplit, trained centrally on all clients' data or locally
 * by each client alone on its own. Same seed, so the same initial weights as the split run.
 */
public final class WholeModelTraining {
  private WholeModelTraining() {}

  /** Trains one unsplit model on {@code train}. */
  public static RunReport central(
      ModelSpec spec, Dataset train, Dataset test, TrainingConfig config, TrainingListener listener)
      throws IOException {
    return train("central", spec, train, test, config, listener, 0, null);
  }

  /**
   * Trains one unsplit model on {@code train} and writes its weights to {@code weights} atomically,
   * in the checkpoint format ({@link PartModel#save(java.nio.file.Path)}): a pre-trained model for
   * PrivyNet's frozen extractors.
   */
  public static RunReport central(
      ModelSpec spec,
      Dataset train,
      Dataset test,
      TrainingConfig config,
      TrainingListener listener,
      java.nio.file.Path weights)
      throws IOException {
    return train("central", spec, train, test, config, listener, 0, weights);
  }

  /** Trains one unsplit model per client on that client's data alone; reports each client. */
  public static RunReport local(
      ModelSpec spec,
      List<Dataset> clientData,
      Dataset test,
      TrainingConfig config,
      TrainingListener listener)
      throws IOException {
    List<EpochStats> epochs = new ArrayList<>();
    List<Map<String, Object>> clients = new ArrayList<>();
    double train = 0;
    double eval = 0;
    Evaluation first = null;
    for (int i = 0; i < clientData.size(); i++) {
      RunReport r = train("local-" + i, spec, clientData.get(i), test, config, listener, i, null);
      epochs.addAll(r.epochs());
      train += r.trainSeconds();
      eval += r.evalSeconds();
      first = first == null ? r.evaluation() : first;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("client", i);
      m.put("train_samples", clientData.get(i).size());
      m.put("test_accuracy", r.evaluation().accuracy());
      clients.add(m);
    }
    return new RunReport("local", first, epochs, train, eval, 0, 0, clients);
  }

  /**
   * Trains one unsplit model on one client's data alone, with that client's batch order: with the
   * same seed and {@code stream} = the client's id, its batches come in the order the split
   * client's do (the multi-task run's local-only baseline).
   */
  public static RunReport alone(
      String phase,
      ModelSpec spec,
      Dataset train,
      Dataset test,
      TrainingConfig config,
      TrainingListener listener,
      int stream)
      throws IOException {
    return train(phase, spec, train, test, config, listener, stream, null);
  }

  private static RunReport train(
      String phase,
      ModelSpec spec,
      Dataset train,
      Dataset test,
      TrainingConfig config,
      TrainingListener listener,
      int stream,
      Path weights)
      throws IOException {
    Batches batches = new Batches(train, config.batchSize(), config.augmentation());
    List<EpochStats> epochs = new ArrayList<>();
    double trainSeconds = 0;
    double evalSeconds = 0;
    Evaluation eval = null;
    PartModel whole =
        PartModel.create(
            phase,
            spec,
            0,
            spec.stages().size(),
            config.seed(),
            config.optimizer().withTotalSteps(batches.count() * config.epochs()));
    try {
      Predictor predictor =
          (step, x, shape) ->
              EngineThread.call(
                  () -> {
                    try (NDManager scope = whole.newScope()) {
                      return whole.forward(scope.create(x, shape), false).toFloatArray();
                    }
                  });
      for (int epoch = 1; epoch <= config.epochs(); epoch++) {
        long t0 = System.nanoTime();
        batches.shuffle(config.seed(), epoch, stream);
        double lossSum = 0;
        for (int k = 0; k < batches.count(); k++) {
          int n = batches.load(k);
          float l =
              EngineThread.call(
                  () -> {
                    float value;
                    try (NDManager scope = whole.newScope();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                      NDArray loss =
                          Losses.crossEntropy(
                              whole.forward(
                                  scope.create(batches.features(n), batches.shape(n)), true),
                              batches.labels(n));
                      gc.backward(loss);
                      value = loss.getFloat();
                    }
                    whole.step();
                    return value;
                  });
          lossSum += l;
          listener.onStep(phase, epoch, k + 1, batches.count(), l);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        trainSeconds += seconds;
        long e0 = System.nanoTime();
        eval = predictor.evaluate(test, Math.max(config.batchSize(), 256));
        evalSeconds += (System.nanoTime() - e0) / 1e9;
        EpochStats stats =
            new EpochStats(
                phase,
                epoch,
                lossSum / batches.count(),
                eval.accuracy(),
                seconds,
                Memory.rssMegabytes(),
                0,
                0);
        epochs.add(stats);
        listener.onEpoch(stats);
      }
      if (weights != null) {
        EngineThread.run(
            () -> {
              try {
                whole.save(weights);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    } finally {
      EngineThread.run(whole::close);
    }
    return new RunReport(phase, eval, epochs, trainSeconds, evalSeconds, 0, 0, List.of());
  }
}
