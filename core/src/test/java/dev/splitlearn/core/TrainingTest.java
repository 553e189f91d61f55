package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.RunReport;
import dev.splitlearn.core.train.SplitTraining;
import dev.splitlearn.core.train.TrainingConfig;
import dev.splitlearn.core.train.TrainingListener;
import dev.splitlearn.core.train.WholeModelTraining;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.data.Partitioner;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end training on a small synthetic 1D data set whose class sets a sine frequency. */
class TrainingTest {
  private static final ModelSpec SPEC =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5);

  private static TrainingConfig config(
      Schedule schedule, int epochs, Path checkpoints, boolean resume) {
    return new TrainingConfig(
        schedule,
        epochs,
        32,
        OptimizerSpec.adam(0.003f),
        11,
        1,
        checkpoints,
        resume,
        Augmentation.NONE,
        null);
  }

  private static RunReport split(
      Protocol protocol, Schedule schedule, int epochs, Path ckpt, boolean resume)
      throws Exception {
    List<Dataset> parts = Partitioner.iid(Fixtures.waves(600, 1), 2, 3);
    try (SplitTraining t =
        new SplitTraining(
            SPEC.plan(protocol),
            parts,
            Fixtures.waves(200, 2),
            config(schedule, epochs, ckpt, resume),
            TrainingListener.NONE)) {
      return t.run();
    }
  }

  @Test
  void bothSchedulesAndProtocolsLearn() throws Exception {
    for (Protocol p : Protocol.values()) {
      for (Schedule s : Schedule.values()) {
        RunReport r = split(p, s, 3, null, false);
        assertTrue(
            r.evaluation().accuracy() > 0.6,
            p + " " + s + ": accuracy " + r.evaluation().accuracy());
        assertEquals(3, r.epochs().size());
        long up = (Long) r.clients().get(0).get("bytes_client_to_server");
        assertTrue(up > 0, "traffic counted");
      }
    }
  }

  @Test
  void sameSeedSameNumbers() throws Exception {
    RunReport a = split(Protocol.U_SHAPED, Schedule.PARALLEL, 1, null, false);
    RunReport b = split(Protocol.U_SHAPED, Schedule.PARALLEL, 1, null, false);
    assertEquals(a.epochs().get(0).trainLoss(), b.epochs().get(0).trainLoss(), 0.0);
    assertEquals(a.evaluation().accuracy(), b.evaluation().accuracy(), 0.0);
  }

  @Test
  void resumeContinuesFromTheCheckpoint(@TempDir Path dir) throws Exception {
    Path ckpt = dir.resolve("ckpt");
    split(Protocol.U_SHAPED, Schedule.SEQUENTIAL, 1, ckpt, false);
    assertTrue(Files.isRegularFile(ckpt.resolve("server-state.json")));
    assertTrue(Files.isRegularFile(ckpt.resolve("client-0-state.json")));
    assertTrue(Files.isRegularFile(ckpt.resolve("client-1-classifier.params")));
    try (var files = Files.list(ckpt)) {
      assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "no temporary files left");
    }
    RunReport continued = split(Protocol.U_SHAPED, Schedule.SEQUENTIAL, 3, ckpt, true);
    assertEquals(2, continued.epochs().size(), "epochs 2 and 3 only");
    assertEquals(2, continued.epochs().get(0).epoch());
  }

  @Test
  void centralAndLocalBaselinesRun() throws Exception {
    Dataset train = Fixtures.waves(600, 1);
    TrainingConfig cfg = config(Schedule.PARALLEL, 2, null, false);
    RunReport central =
        WholeModelTraining.central(SPEC, train, Fixtures.waves(200, 2), cfg, TrainingListener.NONE);
    assertTrue(
        central.evaluation().accuracy() > 0.6,
        "central accuracy " + central.evaluation().accuracy());
    RunReport local =
        WholeModelTraining.local(
            SPEC, Partitioner.iid(train, 2, 3), Fixtures.waves(200, 2), cfg, TrainingListener.NONE);
    assertEquals(2, local.clients().size());
  }
}
