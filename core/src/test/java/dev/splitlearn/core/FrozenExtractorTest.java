package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.core.party.PretrainedExtractor;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.RemoteException;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.RunReport;
import dev.splitlearn.core.train.SplitTraining;
import dev.splitlearn.core.train.TrainingConfig;
import dev.splitlearn.core.train.TrainingListener;
import dev.splitlearn.core.train.WholeModelTraining;
import dev.splitlearn.data.Partitioner;
import dev.splitlearn.models.ChannelSelect;
import dev.splitlearn.models.LocalTopology;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PrivyNet's frozen pre-trained extractor: loaded from a pretrained model, never changed by
 * training.
 */
class FrozenExtractorTest {
  private static final ModelSpec SPEC =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5);

  private static TrainingConfig config(int epochs, PretrainedExtractor extractor) {
    return new TrainingConfig(
        Schedule.PARALLEL,
        epochs,
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
        extractor);
  }

  /** A pretrain folder of {@code spec}, trained one epoch on waves, with an honest description. */
  private static PretrainedExtractor pretrain(Path dir, ModelSpec spec, String describedShape)
      throws IOException {
    Files.createDirectories(dir);
    WholeModelTraining.central(
        spec,
        Fixtures.waves(200, 7),
        Fixtures.waves(50, 8),
        config(1, null),
        TrainingListener.NONE,
        dir.resolve(PretrainedExtractor.WEIGHTS));
    Files.writeString(
        dir.resolve(PretrainedExtractor.INFO),
        "{\"model\": \""
            + spec.name()
            + "\", \"dataset\": "
            + "\"waves\", \"sample_shape\": "
            + describedShape
            + ", \"test_accuracy\": 0.5}");
    return PretrainedExtractor.open(dir, "test");
  }

  private static Map<String, NamedTensor> byName(List<NamedTensor> weights) {
    return weights.stream().collect(Collectors.toMap(NamedTensor::name, t -> t));
  }

  @Test
  void frozenWeightsAreBitIdenticalAfterTrainingAndOnlyTheRestTrains(@TempDir Path dir)
      throws Exception {
    PretrainedExtractor p = pretrain(dir.resolve("pre"), SPEC, "[1, 128]");
    int[] ranked = p.rankChannels(SPEC, 1, 8);
    ModelSpec spec = SPEC.withLocalTopology(new LocalTopology(1, 8, ChannelSelect.RANKED, ranked));
    SplitPlan plan =
        spec.plan(
            Protocol.U_SHAPED, List.of(ModelSpec.SELECT_STAGE, "conv2")); // cloud conv2, client fc
    PartModel whole =
        PartModel.create("pre", SPEC, 0, SPEC.stages().size(), 0, OptimizerSpec.adam(1e-3f));
    Map<String, NamedTensor> pretrained;
    try {
      whole.load(p.weights());
      pretrained = byName(EngineThread.call(whole::weights));
    } finally {
      EngineThread.run(whole::close);
    }
    List<dev.splitlearn.data.Dataset> parts = Partitioner.iid(Fixtures.waves(400, 1), 2, 3);
    try (SplitTraining t =
        new SplitTraining(
            plan, parts, Fixtures.waves(100, 2), config(2, p), TrainingListener.NONE)) {
      SplitClient c = t.clients().get(0);
      List<NamedTensor> before = EngineThread.call(c.extractor()::weights);
      assertTrue(!before.isEmpty());
      for (NamedTensor w : before) {
        // the extractor's conv1 is the pretrained model's conv1 (same names), pruned to the ranked
        // filters: row j of each of its parameters is the pretrained row ranked[j]
        NamedTensor full = pretrained.get(w.name());
        float[] all = full.tensor().data();
        float[] mine = w.tensor().data();
        int row = (int) (all.length / full.tensor().shape()[0]);
        assertEquals(ranked.length * row, mine.length, w.name());
        for (int j = 0; j < ranked.length; j++) {
          for (int i = 0; i < row; i++) {
            assertEquals(
                all[ranked[j] * row + i],
                mine[j * row + i],
                0f,
                "loaded from the pretrained file: " + w.name());
          }
        }
      }
      List<NamedTensor> classifierBefore = EngineThread.call(c.classifier()::weights);
      assertTrue(
          c.weights().stream().noneMatch(w -> w.name().startsWith("extractor/")),
          "frozen: not averaged");
      RunReport r = t.run();
      assertTrue(Double.isFinite(r.epochs().get(1).trainLoss()));
      for (SplitClient each : t.clients()) {
        assertEquals(
            before, EngineThread.call(each.extractor()::weights), "bit-identical after training");
        assertTrue(each.extractor().frozen());
      }
      assertNotEquals(
          classifierBefore, EngineThread.call(c.classifier()::weights), "the classifier trained");
      assertThrows(
          IllegalStateException.class,
          () -> EngineThread.run(c.extractor()::step),
          "no optimizer step");
      long down = r.epochs().get(0).trainBytesDown();
      long up = r.epochs().get(0).trainBytesUp();
      assertTrue(
          down < up / 2, "no activation gradient comes back: " + down + " down, " + up + " up");
    }
  }

  @Test
  void weightsOfAnotherModelOrShapeAreRefusedByName(@TempDir Path dir) throws Exception {
    PretrainedExtractor p = pretrain(dir.resolve("ecg"), SPEC, "[1, 128]");
    ModelSpec mnist = ModelZoo.get("mnist-cnn", new long[] {1, 28, 28}, 10);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> p.requireFits(mnist, "--x"));
    assertTrue(
        e.getMessage().contains("ecg-cnn") && e.getMessage().contains("mnist-cnn"), e.getMessage());
    // two-channel samples: conv1's weights are (16, 2, 7); a description that claims (1, 128) is
    // caught by the shapes
    ModelSpec twoChannels = ModelZoo.get("ecg-cnn", new long[] {2, Fixtures.WAVE_LENGTH}, 5);
    Path lie = dir.resolve("lie");
    Files.createDirectories(lie);
    PartModel other =
        PartModel.create(
            "other", twoChannels, 0, twoChannels.stages().size(), 3, OptimizerSpec.adam(1e-3f));
    try {
      EngineThread.run(
          () -> {
            try {
              other.save(lie.resolve(PretrainedExtractor.WEIGHTS));
            } catch (IOException x) {
              throw new java.io.UncheckedIOException(x);
            }
          });
    } finally {
      EngineThread.run(other::close);
    }
    Files.writeString(
        lie.resolve(PretrainedExtractor.INFO),
        "{\"model\": \"ecg-cnn\", \"sample_shape\": [1, 128]}");
    PretrainedExtractor wrong = PretrainedExtractor.open(lie, "test");
    IOException io = assertThrows(IOException.class, () -> wrong.rankChannels(SPEC, 1, 4));
    assertTrue(
        io.getMessage().contains("(16, 2, 7)") && io.getMessage().contains("(16, 1, 7)"),
        io.getMessage());
    IOException missing =
        assertThrows(IOException.class, () -> PretrainedExtractor.open(dir.resolve("none"), "--e"));
    assertTrue(missing.getMessage().startsWith("--e: "), missing.getMessage());
  }

  @Test
  void aServerWithAnotherTopologyRefusesTheClient() throws Exception {
    SplitPlan server =
        SPEC.withLocalTopology(new LocalTopology(1, 8, ChannelSelect.RANKED, null))
            .plan(Protocol.U_SHAPED);
    try (SplitServerRuntime runtime = Fixtures.server(server, 1, OptimizerSpec.adam(1e-3f), null)) {
      for (LocalTopology t :
          List.of(
              new LocalTopology(1, 4, ChannelSelect.RANKED, null),
              new LocalTopology(1, 8, ChannelSelect.RANDOM, null))) {
        SplitPlan client = SPEC.withLocalTopology(t).plan(Protocol.U_SHAPED);
        RemoteException e =
            assertThrows(RemoteException.class, () -> Fixtures.session(runtime, client, ""));
        assertEquals(ErrorCode.ABORTED, e.code(), e.getMessage());
      }
      Fixtures.session(runtime, server, "").close(); // the same plan is welcome
    }
  }
}
