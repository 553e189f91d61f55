package dev.splitlearn.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.Fixtures;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The samples rebuilt for each (client, step) of a tap are the ones the client trained on: in
 * vanilla mode the labels on the wire are those of the rebuilt batch, for every step of every
 * client, under both schedules, over two epochs, with a short last batch.
 */
class StepSamplesTest {
  private static final SplitPlan VANILLA =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5).plan(Protocol.VANILLA);
  @TempDir Path dir;

  @Test
  void everyStepsLabelsOnTheWireAreTheRebuiltBatchs() throws Exception {
    for (Schedule schedule : Schedule.values()) {
      Path tap = dir.resolve("tap-" + schedule + ".bin");
      // 150 samples over 2 clients: 75 each, batches of 16 (the last of 11)
      List<Dataset> parts =
          TappedRun.train(
              VANILLA,
              Fixtures.waves(150, 3),
              Fixtures.waves(20, 4),
              2,
              schedule,
              2,
              16,
              null,
              tap);
      StepSamples samples = TappedRun.samples(parts, 16);
      TapEvidence e = TapEvidence.read(tap);
      assertEquals(
          2 * 2 * 5, e.labelsInClear.size(), schedule + ": 2 clients x 2 epochs x 5 batches");
      Set<String> seen = new HashSet<>();
      for (TapEvidence.StepLabels s : e.labelsInClear) {
        assertArrayEquals(
            samples.of(s.client(), s.step()).labels(),
            s.labels(),
            schedule + ": client " + s.client() + " step " + s.step());
        seen.add(s.client() + "/" + s.step());
      }
      assertEquals(20, seen.size(), "steps 0-9 of both clients");
      assertEquals(11, samples.of(0, 4).size(), "the short last batch of epoch 1");
      assertTrue(e.activationGradients.size() == 20 && e.cloudOutputGradients.isEmpty());
    }
  }

  @Test
  void anotherSeedGivesOtherBatches() throws Exception {
    Path tap = dir.resolve("tap.bin");
    List<Dataset> parts =
        TappedRun.train(
            VANILLA,
            Fixtures.waves(64, 3),
            Fixtures.waves(20, 4),
            1,
            Schedule.PARALLEL,
            1,
            16,
            null,
            tap);
    StepSamples wrong =
        new StepSamples(parts, 16, TappedRun.SEED + 1, dev.splitlearn.core.train.Augmentation.NONE);
    int differ = 0;
    for (TapEvidence.StepLabels s : TapEvidence.read(tap).labelsInClear) {
      differ +=
          java.util.Arrays.equals(wrong.of(s.client(), s.step()).labels(), s.labels()) ? 0 : 1;
    }
    assertTrue(differ > 0, "the check can fail: a wrong seed does not reproduce the batches");
    assertThrows(
        IllegalArgumentException.class, () -> wrong.of(1, 0), "no client 1 in a one-client run");
  }
}
