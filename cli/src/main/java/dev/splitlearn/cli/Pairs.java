package dev.splitlearn.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.splitlearn.core.defense.DefenseChain;
import dev.splitlearn.core.defense.DefenseChain.Purpose;
import dev.splitlearn.core.defense.Defenses;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.DirectoryCheckpointStore;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.models.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The (input, activation, label) triples of a trained run: the first {@code n} samples of a split
 * and what the client's extractor, restored from the run's checkpoint, sends for them (its defenses
 * applied, as at inference). What a curious server could pair up; used by {@code export} and {@code
 * attack}.
 */
record Pairs(float[] x, long[] xShape, float[] z, long[] zShape, int[] y) {
  /** The step the defenses' noise of the pairs is drawn for (a stream no training step uses). */
  private static final long PAIRS_STEP = -2;

  int n() {
    return y.length;
  }

  int xLength() {
    return x.length / y.length;
  }

  int zLength() {
    return z.length / y.length;
  }

  /**
   * @throws IOException if the run has no checkpoint of the client's extractor
   * @throws IllegalArgumentException if the checkpoint is of another plan than the options give
   */
  static Pairs of(Runner.Setup s, Path run, int client, String split, int n, long seed)
      throws IOException {
    if (!split.equals("train") && !split.equals("test")) {
      throw new IllegalArgumentException("--split must be train or test, got '" + split + "'");
    }
    Path checkpoints = run.resolve("checkpoints");
    String prefix = "client-" + client + "-";
    if (!Files.isRegularFile(checkpoints.resolve(prefix + "extractor.params"))) {
      checkpoints =
          run.resolve("client-" + client).resolve("checkpoints"); // a --transport grpc run
    }
    if (!Files.isRegularFile(checkpoints.resolve(prefix + "extractor.params"))) {
      throw new IOException(
          "--run "
              + run
              + ": no checkpoint of client "
              + client
              + "'s extractor in "
              + run.resolve("checkpoints")
              + " or "
              + checkpoints);
    }
    String state = Files.readString(checkpoints.resolve(prefix + "state.json"));
    if (!state.contains("\"" + s.plan().fingerprint() + "\"")) {
      throw new IllegalArgumentException(
          "--run "
              + run
              + ": the checkpoint is of another plan than '"
              + s.plan().fingerprint()
              + "' (give the run's own options, e.g. its --config)");
    }
    // what the server sees: the activations with the client's defenses applied (noise, DP,
    // quantisation, top-k), as the client sends them at inference
    Defenses d = s.config().defensesOf(client).defenses();
    DefenseChain sent = d.active() ? d.chain(client) : DefenseChain.NONE;
    DirectoryCheckpointStore store = new DirectoryCheckpointStore(checkpoints);
    PartModel extractor =
        PartModel.create(
            "pairs/extractor",
            s.plan().model(),
            s.plan().from(Role.EXTRACTOR),
            s.plan().to(Role.EXTRACTOR),
            seed,
            OptimizerSpec.adam(1e-3f));
    try {
      EngineThread.run(
          () -> {
            try {
              extractor.loadFrom(store, prefix + "extractor.params");
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
      Dataset data = split.equals("test") ? s.test() : s.train();
      int len = data.sampleLength();
      float[] x = new float[n * len];
      int[] y = new int[n];
      for (int i = 0; i < n; i++) {
        data.copySample(i, x, i * len);
        y[i] = data.label(i);
      }
      long[] xShape = new long[1 + data.sampleShape().length];
      xShape[0] = n;
      for (int k = 0; k < data.sampleShape().length; k++) {
        xShape[k + 1] = data.sampleShape()[k];
      }
      return EngineThread.call(
          () -> {
            try (NDManager scope = extractor.newScope()) {
              var out =
                  sent.apply(
                      extractor.forward(scope.create(x, new Shape(xShape)), false),
                      Purpose.PREDICT,
                      PAIRS_STEP);
              return new Pairs(x, xShape, out.toFloatArray(), out.getShape().getShape(), y);
            }
          });
    } finally {
      EngineThread.run(extractor::close);
    }
  }
}
