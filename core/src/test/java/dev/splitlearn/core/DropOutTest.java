package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.client.ClientConfig;
import dev.splitlearn.core.client.ClientEpoch;
import dev.splitlearn.core.client.ClientListener;
import dev.splitlearn.core.client.ClientStep;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.client.SplitClientRuntime;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.InProcessTransport;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.data.Partitioner;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A client that drops out mid-epoch does not hold the others up, and can rejoin, redoing the epoch
 * in progress.
 */
class DropOutTest {
  private static final SplitPlan PLAN =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5).plan(Protocol.U_SHAPED);
  private static final OptimizerSpec ADAM = OptimizerSpec.adam(0.003f);

  private static ClientConfig config() {
    return new ClientConfig(
        ADAM, 16, 1, Augmentation.NONE, Compression.FLOAT32, false, null, false);
  }

  @Test
  void theOthersGoOnAndTheDroppedClientRejoinsLater() throws Exception {
    List<Dataset> parts = Partitioner.iid(Fixtures.waves(320, 1), 2, 3);
    try (SplitServerRuntime server =
        new SplitServerRuntime(
            PLAN,
            1,
            ADAM,
            null,
            new ServerConfig(
                2, Schedule.PARALLEL, 3, 2, true, Duration.ofSeconds(30), null, false))) {
      AtomicReference<List<ClientEpoch>> first = new AtomicReference<>();
      AtomicReference<Exception> failure = new AtomicReference<>();
      Thread steady =
          new Thread(
              () -> {
                try (SplitClient c =
                    new SplitClient(0, PLAN, 1, ADAM, new InProcessTransport(server))) {
                  first.set(
                      new SplitClientRuntime(c, parts.get(0), null, config(), ClientListener.NONE)
                          .run());
                } catch (Exception e) {
                  failure.set(e);
                }
              });
      steady.start();
      // client 1 crashes at its 3rd step of epoch 1: its session ends mid-epoch
      try (SplitClient c = new SplitClient(1, PLAN, 1, ADAM, new InProcessTransport(server))) {
        IllegalStateException crash =
            assertThrows(
                IllegalStateException.class,
                () ->
                    new SplitClientRuntime(
                            c,
                            parts.get(1),
                            null,
                            config(),
                            new ClientListener() {
                              @Override
                              public void onStep(ClientStep step) {
                                if (step.done() == 3) {
                                  throw new IllegalStateException("simulated crash");
                                }
                              }
                            })
                        .run());
        assertEquals("simulated crash", crash.getMessage());
      }
      // it comes back and redoes the epoch in progress
      List<ClientEpoch> again;
      try (SplitClient c = new SplitClient(1, PLAN, 1, ADAM, new InProcessTransport(server))) {
        again = new SplitClientRuntime(c, parts.get(1), null, config(), ClientListener.NONE).run();
      }
      steady.join();
      if (failure.get() != null) {
        throw failure.get();
      }
      assertEquals(3, first.get().size(), "client 0 trained every epoch");
      assertTrue(
          !again.isEmpty() && again.get(again.size() - 1).epoch() == 3,
          "client 1 rejoined and trained to the end: "
              + again.stream().map(ClientEpoch::epoch).toList());
      assertTrue(server.awaitClientsLeft(Duration.ofSeconds(10)), "the run ended for both");
      var figures = server.clientFigures();
      assertEquals(2, figures.get(1).get("sessions"), "client 1 had two sessions: " + figures);
    }
  }
}
