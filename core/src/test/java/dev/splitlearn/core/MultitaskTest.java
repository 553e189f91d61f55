package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.client.ClientListener;
import dev.splitlearn.core.client.ClientStep;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.InProcessTransport;
import dev.splitlearn.core.protocol.RemoteException;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.MultitaskTraining;
import dev.splitlearn.core.train.MultitaskTraining.Task;
import dev.splitlearn.core.train.MultitaskTraining.TaskRun;
import dev.splitlearn.core.train.RunReport;
import dev.splitlearn.core.train.TrainingConfig;
import dev.splitlearn.core.train.TrainingListener;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Multitask;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import dev.splitlearn.models.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The multi-task cloud model: clients with different inputs and classes train one shared cloud
 * model through the ordinary runtimes; a client whose cloud or cut differs is refused in the
 * handshake with the reason.
 */
class MultitaskTest {
  private static final int E = 32;
  private static final long[] IMAGE = {1, Fixtures.BLOB_SIDE, Fixtures.BLOB_SIDE};
  private static final long[] WAVE = {1, Fixtures.WAVE_LENGTH};
  private static final OptimizerSpec ADAM = OptimizerSpec.adam(0.003f);

  private static SplitPlan plan(long[] shape, int classes, int embedding) {
    return Multitask.model(shape, classes, embedding).plan(Protocol.U_SHAPED);
  }

  @Test
  void twoTasksWithDifferentInputsAndClassesShareOneCloudAndBothLearn() throws Exception {
    // 15 image batches and 30 wave batches per epoch: sizes differ, so the steps must interleave 1
    // : 2
    List<Task> tasks =
        List.of(
            new Task("blobs", plan(IMAGE, 4, E), Fixtures.blobs(240, 1), Fixtures.blobs(200, 2)),
            new Task("waves", plan(WAVE, 5, E), Fixtures.waves(480, 3), Fixtures.waves(200, 4)));
    TrainingConfig config =
        new TrainingConfig(
            Schedule.PARALLEL, 2, 16, ADAM, 7, 1, null, false, Augmentation.NONE, null);
    List<int[]> order = new ArrayList<>(); // {client, epoch} of every step, as they complete
    ClientListener record =
        new ClientListener() {
          @Override
          public void onStep(ClientStep s) {
            synchronized (order) {
              order.add(new int[] {s.client(), s.epoch()});
            }
          }
        };
    List<TaskRun> runs;
    try (MultitaskTraining t = new MultitaskTraining(tasks, config, record)) {
      runs = t.run();
      assertEquals(
          List.of(E),
          List.of((int) t.server().cloud().inputShape().get(1)),
          "the cloud takes the cut");
    }
    double[] chance = {0.25, 0.2};
    for (int i = 0; i < 2; i++) {
      TaskRun r = runs.get(i);
      assertEquals(2, r.epochs().size());
      double acc = r.evaluation().accuracy();
      assertTrue(
          acc > chance[i] + 0.35,
          r.task().name() + ": accuracy " + acc + " (chance " + chance[i] + ")");
      assertTrue(
          r.epochs().get(1).meanLoss() < r.epochs().get(0).meanLoss(),
          r.task().name() + ": loss falls");
      assertTrue(r.epochs().get(0).bytesUp() > 0, "activations went to the server");
    }
    assertEquals(15 * 2, runs.get(0).epochs().stream().mapToLong(e -> e.steps()).sum());
    assertEquals(30 * 2, runs.get(1).epochs().stream().mapToLong(e -> e.steps()).sum());
    int[] done = new int[2];
    int worst = 0;
    for (int[] s : order) {
      if (s[1] == 1) {
        done[s[0]]++;
        worst = Math.max(worst, Math.abs(done[1] - 2 * done[0]));
      }
    }
    // in proportion: two wave steps per image step all through the epoch (round robin would drift
    // to 15)
    assertTrue(worst <= 3, "steps drift from 1 : 2 by " + worst);

    // the local-only baseline trains the same architecture on the task's data alone
    RunReport local = MultitaskTraining.localOnly(tasks.get(1), 1, config, TrainingListener.NONE);
    assertTrue(
        local.evaluation().accuracy() > 0.4, "local-only waves: " + local.evaluation().accuracy());
  }

  @Test
  void aClientWithAnotherCutOrCloudIsRefusedWithTheReason() throws Exception {
    SplitPlan serverPlan = plan(IMAGE, 4, E);
    ModelSpec m = Multitask.model(WAVE, 5, E);
    List<Stage> stages = new ArrayList<>(m.stages());
    stages.set(
        3,
        new Stage(
            "cloud1",
            "Linear(" + E + ",64)+ReLU",
            () -> ai.djl.nn.core.Linear.builder().setUnits(64).build()));
    ModelSpec widerCloud =
        new ModelSpec(
            m.name(),
            WAVE,
            5,
            stages,
            java.util.Map.of(Protocol.U_SHAPED, List.of("embed", "cloud2")),
            true);
    try (SplitServerRuntime server =
        new SplitServerRuntime(
            serverPlan, 1, ADAM, null, ServerConfig.multitask(1, 1, Duration.ofSeconds(30)))) {
      String cut = refusal(server, plan(WAVE, 5, 16));
      assertTrue(cut.contains("the cut differs: client (16), server (32)"), cut);
      assertTrue(cut.contains("the output differs"), cut);
      String cloud = refusal(server, widerCloud.plan(Protocol.U_SHAPED));
      assertTrue(cloud.contains("the cloud differs: client cloud1=Linear(32,64)+ReLU"), cloud);
      assertTrue(!cloud.contains("the cut differs"), cloud);
      String single = refusal(server, ModelZoo.get("ecg-cnn", WAVE, 5).plan(Protocol.U_SHAPED));
      assertTrue(
          single.contains(
              "this server shares its cloud model between tasks, the client runs a single-task"
                  + " plan"),
          single);
      // another extractor and other classes, the same cloud and cut: welcome
      try (SplitClient ok =
          new SplitClient(0, plan(WAVE, 5, E), 1, ADAM, new InProcessTransport(server))) {
        assertEquals(1, ok.join(Compression.FLOAT32, 1, 1).clients());
      }
    }
  }

  private static String refusal(SplitServerRuntime server, SplitPlan clientPlan) throws Exception {
    try (SplitClient c = new SplitClient(0, clientPlan, 1, ADAM, new InProcessTransport(server))) {
      RemoteException e =
          assertThrows(RemoteException.class, () -> c.join(Compression.FLOAT32, 1, 1));
      assertEquals(ErrorCode.ABORTED, e.code());
      assertTrue(e.getMessage().contains("Hello from client 0: "), e.getMessage());
      return e.getMessage();
    }
  }
}
