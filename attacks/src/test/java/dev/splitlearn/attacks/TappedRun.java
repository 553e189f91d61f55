package dev.splitlearn.attacks;

import dev.splitlearn.core.encrypted.Encryption;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.FrameTap;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.SplitTraining;
import dev.splitlearn.core.train.TrainingConfig;
import dev.splitlearn.core.train.TrainingListener;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.data.Partitioner;
import dev.splitlearn.models.SplitPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A small in-process run recorded by a tap on the server end, as {@code splitlearn train --tap}
 * records it.
 */
final class TappedRun {
  static final long SEED = 11;

  private TappedRun() {}

  /**
   * Trains {@code plan} on {@code data} split iid over {@code clients}; returns the partitions (the
   * ground truth).
   */
  static List<Dataset> train(
      SplitPlan plan,
      Dataset data,
      Dataset test,
      int clients,
      Schedule schedule,
      int epochs,
      int batch,
      Encryption encryption,
      Path tap)
      throws IOException {
    List<Dataset> parts = Partitioner.iid(data, clients, SEED);
    TrainingConfig config =
        new TrainingConfig(
            schedule,
            epochs,
            batch,
            OptimizerSpec.adam(0.003f),
            SEED,
            1,
            null,
            false,
            Augmentation.NONE,
            encryption);
    FrameTap[] recorder = new FrameTap[1];
    try (SplitTraining t =
        new SplitTraining(
            plan,
            parts,
            test,
            config,
            TrainingListener.NONE,
            Compression.FLOAT32,
            server -> {
              try {
                recorder[0] = new FrameTap(server, tap, Long.MAX_VALUE);
                return recorder[0];
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })) {
      t.run();
    } finally {
      if (recorder[0] != null) {
        recorder[0].close();
      }
    }
    return parts;
  }

  /** The steps' samples of a run made by {@link #train}. */
  static StepSamples samples(List<Dataset> parts, int batch) {
    return new StepSamples(parts, batch, SEED, Augmentation.NONE);
  }
}
