package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.core.party.PretrainedExtractor;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.TrainingConfig;
import dev.splitlearn.core.train.TrainingListener;
import dev.splitlearn.core.train.WholeModelTraining;
import dev.splitlearn.models.ChannelSelect;
import dev.splitlearn.models.LocalTopology;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.Role;
import dev.splitlearn.models.SplitPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PrivyNet client keeping c of block k's channels computes only those filters: its extractor,
 * built pruned and loaded with the pre-trained weights sliced to the kept filters, outputs exactly
 * the kept channels of the whole pre-trained block, in the selection's order, with fewer
 * parameters.
 */
class PrunedExtractorTest {
  private static final ModelSpec SPEC =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5);

  private static PretrainedExtractor pretrain(Path dir) throws Exception {
    Files.createDirectories(dir);
    TrainingConfig config =
        new TrainingConfig(
            dev.splitlearn.core.protocol.Schedule.PARALLEL,
            1,
            32,
            OptimizerSpec.adam(0.003f),
            11,
            1,
            null,
            false,
            Augmentation.NONE,
            null,
            0f,
            dev.splitlearn.core.defense.Defenses.NONE,
            java.util.List.of(),
            null,
            null);
    WholeModelTraining.central(
        SPEC,
        Fixtures.waves(200, 7),
        Fixtures.waves(50, 8),
        config,
        TrainingListener.NONE,
        dir.resolve(PretrainedExtractor.WEIGHTS));
    Files.writeString(
        dir.resolve(PretrainedExtractor.INFO),
        "{\"model\": \"ecg-cnn\", \"dataset\": \"waves\", \"sample_shape\": [1, "
            + Fixtures.WAVE_LENGTH
            + "], \"test_accuracy\": 0.5}");
    return PretrainedExtractor.open(dir, "test");
  }

  @Test
  void thePrunedBlockOutputsTheKeptChannelsOfTheWholeBlock(@TempDir Path dir) throws Exception {
    PretrainedExtractor p = pretrain(dir.resolve("pre"));
    Shape batch = new Shape(4, 1, Fixtures.WAVE_LENGTH);
    float[] x = Fixtures.randomBatch(batch, 3);
    for (int k = 1; k <= 2; k++) {
      int total = SPEC.blockChannels(k);
      int c = total / 2 + 1;
      int[] kept = p.rankChannels(SPEC, k, c);
      ModelSpec pruned =
          SPEC.withLocalTopology(new LocalTopology(k, c, ChannelSelect.RANKED, kept));
      assertTrue(pruned.prunedExtractor(), "ecg-cnn's conv blocks can be pruned");
      SplitPlan plan = pruned.plan(Protocol.U_SHAPED);
      PartModel extractor =
          PartModel.create(
              "pruned",
              pruned,
              plan.from(Role.EXTRACTOR),
              plan.to(Role.EXTRACTOR),
              1,
              OptimizerSpec.adam(1e-3f));
      PartModel whole = PartModel.create("whole", SPEC, 0, k, 1, OptimizerSpec.adam(1e-3f));
      try {
        p.loadPrunedInto(extractor, SPEC, k, kept);
        p.loadInto(whole, k);
        float[][] out = new float[2][];
        long[][] shapes = new long[2][];
        EngineThread.run(
            () -> {
              try (NDManager m = NDManager.newBaseManager()) {
                var a = extractor.forward(m.create(x, batch), false);
                var b = whole.forward(m.create(x, batch), false);
                out[0] = a.toFloatArray();
                shapes[0] = a.getShape().getShape();
                out[1] = b.toFloatArray();
                shapes[1] = b.getShape().getShape();
              }
            });
        // the whole block's output as (batch, channel, rest), its kept channels picked by hand
        int rows = (int) batch.get(0);
        int rest = out[1].length / rows / total;
        float[] picked = new float[rows * c * rest];
        for (int b = 0; b < rows; b++) {
          for (int j = 0; j < c; j++) {
            System.arraycopy(
                out[1], (b * total + kept[j]) * rest, picked, (b * c + j) * rest, rest);
          }
        }
        assertEquals(picked.length, out[0].length, "k=" + k + ": output size");
        for (int i = 0; i < picked.length; i++) {
          assertEquals(picked[i], out[0][i], 1e-5f, "k=" + k + " value " + i);
        }
        assertArrayEquals(
            new long[] {shapes[1][0], picked.length / rows},
            new long[] {shapes[0][0], out[0].length / rows});
        long prunedParams =
            EngineThread.call(extractor::weights).stream()
                .mapToLong(t -> t.tensor().data().length)
                .sum();
        long wholeParams =
            EngineThread.call(whole::weights).stream()
                .mapToLong(t -> t.tensor().data().length)
                .sum();
        assertTrue(
            prunedParams < wholeParams, "k=" + k + ": " + prunedParams + " < " + wholeParams);
      } finally {
        EngineThread.run(extractor::close);
        EngineThread.run(whole::close);
      }
    }
  }
}
