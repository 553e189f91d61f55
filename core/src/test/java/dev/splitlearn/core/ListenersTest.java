package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.client.ClientCheckpoints;
import dev.splitlearn.core.client.ClientConfig;
import dev.splitlearn.core.client.ClientEpoch;
import dev.splitlearn.core.client.ClientListener;
import dev.splitlearn.core.client.ClientListeners;
import dev.splitlearn.core.client.ClientStep;
import dev.splitlearn.core.client.ClientTiming;
import dev.splitlearn.core.client.ClientTraffic;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.client.SplitClientRuntime;
import dev.splitlearn.core.party.CheckpointStore;
import dev.splitlearn.core.party.DirectoryCheckpointStore;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.InProcessTransport;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.server.ServerCheckpoint;
import dev.splitlearn.core.server.ServerCheckpoints;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.ServerListener;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.Evaluation;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.data.Partitioner;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtimes' events, heard by listeners a user composes: in order, as many as the schedule runs,
 * with the step's bytes and time; and a checkpoint listener's files resume a run.
 */
class ListenersTest {
  private static final SplitPlan PLAN =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5).plan(Protocol.U_SHAPED);
  private static final OptimizerSpec ADAM = OptimizerSpec.adam(0.003f);
  private static final int BATCH = 16;

  private static ClientConfig config(boolean evaluate, CheckpointStore store, boolean resume) {
    return new ClientConfig(
        ADAM, BATCH, 1, Augmentation.NONE, Compression.FLOAT32, evaluate, store, resume);
  }

  /** Writes every client event as a line, with the step's figures checked as they arrive. */
  private static final class Recorder implements ClientListener {
    final List<String> events = new ArrayList<>();
    long stepBytesUp;
    long stepBytesDown;
    long exchangeBytesUp;
    long stepNanos;
    final List<ClientEpoch> epochs = new ArrayList<>();

    @Override
    public void onEpochStart(int client, int epoch, int steps) {
      events.add("start " + epoch + " " + steps);
    }

    @Override
    public void onStep(ClientStep s) {
      events.add("step " + s.epoch() + " " + s.done() + "/" + s.total());
      assertTrue(s.bytesUp() > BATCH * 4 && s.bytesDown() > 0 && s.nanos() > 0, s.toString());
      assertTrue(Float.isFinite(s.loss()), s.toString());
      stepBytesUp += s.bytesUp();
      stepBytesDown += s.bytesDown();
      stepNanos += s.nanos();
    }

    @Override
    public void onWeightExchange(int client, int epoch, long nanos, long bytesUp, long bytesDown) {
      events.add("exchange " + epoch);
      assertTrue(nanos > 0 && bytesUp > 0 && bytesDown > 0, "an exchange moves weights both ways");
      exchangeBytesUp += bytesUp;
    }

    @Override
    public void onTrainingEnd(int client, int epoch) {
      events.add("trained " + epoch);
    }

    @Override
    public void onEvaluated(int client, int epoch, Evaluation evaluation, double dcor) {
      events.add("evaluated " + epoch + " " + (evaluation != null));
    }

    @Override
    public void onCheckpointDue(SplitClient client, int epoch, long step) {
      events.add("checkpoint " + epoch + " " + step);
    }

    @Override
    public void onEpochEnd(int client, ClientEpoch e) {
      events.add("end " + e.epoch());
      epochs.add(e);
    }
  }

  /** The server's events of the run, as lines (sessions, steps and epochs; requests counted). */
  private static final class ServerRecorder implements ServerListener {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final long[] steps = new long[2];
    final long[] requests = new long[2];

    @Override
    public void sessionOpened(int clientId) {
      events.add("open " + clientId);
    }

    @Override
    public void sessionClosed(int clientId, long stepCount) {
      events.add("close " + clientId + " " + stepCount);
    }

    @Override
    public synchronized void stepDone(int clientId, long computeNanos) {
      steps[clientId]++;
    }

    @Override
    public synchronized void requestDone(
        int clientId, long bytesIn, long bytesOut, long busyNanos) {
      requests[clientId]++;
    }

    @Override
    public void checkpointDue(ServerCheckpoint c) {
      events.add("checkpoint " + c.epoch());
    }

    @Override
    public void epochEnd(int epoch, int epochs) {
      events.add("end " + epoch + "/" + epochs);
    }
  }

  @Test
  void aComposedListenerHearsEveryEventInOrder() throws Exception {
    int epochs = 2;
    int syncEvery = 3;
    List<Dataset> parts = Partitioner.iid(Fixtures.waves(160, 1), 2, 3); // 80 each: 5 steps of 16
    ServerRecorder serverEvents = new ServerRecorder();
    try (SplitServerRuntime server =
        new SplitServerRuntime(
            PLAN,
            1,
            ADAM,
            null,
            new ServerConfig(
                2,
                Schedule.PARALLEL,
                epochs,
                syncEvery,
                true,
                Duration.ofSeconds(60),
                null,
                false))) {
      server.addListener(serverEvents);
      Recorder[] recorders = {new Recorder(), new Recorder()};
      ClientTraffic[] traffic = {new ClientTraffic(), new ClientTraffic()};
      ClientTiming[] timing = {new ClientTiming(), new ClientTiming()};
      SplitClient[] clients = new SplitClient[2];
      AtomicReference<Exception> failure = new AtomicReference<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        int id = i;
        clients[i] = new SplitClient(i, PLAN, 1, ADAM, new InProcessTransport(server));
        Thread t =
            new Thread(
                () -> {
                  try {
                    new SplitClientRuntime(
                            clients[id],
                            parts.get(id),
                            id == 0 ? Fixtures.waves(40, 2) : null,
                            config(id == 0, null, false),
                            ClientListeners.of(timing[id], recorders[id], traffic[id]))
                        .run();
                  } catch (Exception e) {
                    failure.set(e);
                  }
                });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      if (failure.get() != null) {
        throw failure.get();
      }
      for (int i = 0; i < 2; i++) {
        Recorder r = recorders[i];
        List<String> expected = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
          expected.add("start " + e + " 5");
          for (int k = 1; k <= 5; k++) {
            expected.add("step " + e + " " + k + "/5");
            if (k % syncEvery == 0 || k == 5) {
              expected.add("exchange " + e);
            }
          }
          expected.addAll(
              List.of(
                  "trained " + e,
                  "evaluated " + e + " " + (i == 0),
                  "checkpoint " + e + " " + 5 * e,
                  "end " + e));
        }
        assertEquals(expected, r.events, "client " + i);
        // traffic: the listener's counts are the steps' and exchanges' bytes, and what each epoch
        // reports
        long reportedUp = r.epochs.stream().mapToLong(ClientEpoch::bytesUp).sum();
        assertEquals(r.stepBytesUp + r.exchangeBytesUp, reportedUp);
        assertEquals(reportedUp, traffic[i].totalBytesUp());
        assertEquals(
            r.epochs.stream().mapToLong(ClientEpoch::bytesDown).sum(), traffic[i].totalBytesDown());
        // ... and less than the link carried (the handshake, the barriers and the evaluation are
        // not training)
        long linkUp = clients[i].transport().traffic().bytesClientToServer();
        assertTrue(reportedUp < linkUp, reportedUp + " of " + linkUp);
        // timing: the last epoch's steps fit within its training time, as the epoch reports it
        ClientEpoch last = r.epochs.get(epochs - 1);
        assertEquals(
            last.trainSeconds(),
            timing[i].trainSeconds(),
            1e-3,
            "the runtime's clock and the user's agree");
        assertTrue(
            timing[i].stepSeconds() > 0 && timing[i].stepSeconds() <= timing[i].trainSeconds());
        assertEquals(5, timing[i].steps());
        assertEquals(last.syncSeconds(), timing[i].syncSeconds(), 0.0);
      }
      for (SplitClient c : clients) {
        c.close(); // ends its session
      }
      assertTrue(server.awaitClientsLeft(Duration.ofSeconds(10)));
      assertEquals(
          List.of("open 0", "open 1", "checkpoint 1", "end 1/2", "checkpoint 2", "end 2/2"),
          serverEvents.events.subList(0, 6).stream().sorted(ListenersTest::openFirst).toList());
      assertArrayEquals(new long[] {10, 10}, serverEvents.steps, "a step event per training step");
      List<Map<String, Object>> figures = server.clientFigures();
      for (int i = 0; i < 2; i++) {
        // the server's traffic listener counts what the client's link counted, but the handshake's
        // Hello
        var link = clients[i].transport().traffic();
        assertEquals(link.bytesServerToClient(), figures.get(i).get("bytes_sent"));
        assertEquals(link.messagesClientToServer() - 1, figures.get(i).get("messages_received"));
        assertEquals(
            link.messagesClientToServer(), serverEvents.requests[i], "a request event per request");
      }
    }
  }

  /**
   * Sessions open before any epoch ends; the two opens are in arrival order, so compare them
   * sorted.
   */
  private static int openFirst(String a, String b) {
    boolean oa = a.startsWith("open");
    boolean ob = b.startsWith("open");
    return oa && ob ? a.compareTo(b) : oa ? -1 : ob ? 1 : 0;
  }

  @Test
  void aCheckpointListenersFilesResumeTheRun(@TempDir Path dir) throws Exception {
    Dataset data = Fixtures.waves(96, 1);
    CheckpointStore store = new DirectoryCheckpointStore(dir);
    List<NamedTensor> saved;
    // epoch 1 of 2: the checkpoints are listeners the user composes (neither config names a store)
    try (SplitServerRuntime server =
            new SplitServerRuntime(
                PLAN,
                1,
                ADAM,
                null,
                new ServerConfig(
                    1, Schedule.PARALLEL, 1, 1, true, Duration.ofSeconds(60), null, false));
        SplitClient client = new SplitClient(0, PLAN, 1, ADAM, new InProcessTransport(server))) {
      server.addListener(new ServerCheckpoints(store));
      new SplitClientRuntime(
              client,
              data,
              null,
              config(false, null, false),
              ClientListeners.of(new ClientCheckpoints(store), ClientListener.NONE))
          .run();
      saved = client.weights();
    }
    assertEquals(
        "{\n  \"epoch\" : 1,\n  \"step\" : 6,\n  \"plan\" : \"" + PLAN.fingerprint() + "\"\n}",
        Files.readString(dir.resolve("client-0-state.json"), StandardCharsets.UTF_8),
        "the state file as before");
    assertEquals(
        "{\n  \"epoch\" : 1,\n  \"plan\" : \"" + PLAN.fingerprint() + "\"\n}",
        Files.readString(dir.resolve("server-state.json"), StandardCharsets.UTF_8));
    try (var files = Files.list(dir)) {
      assertFalse(files.anyMatch(f -> f.toString().endsWith(".tmp")), "no temporary files left");
    }
    // a fresh client restores exactly the weights the run ended with
    try (SplitServerRuntime other = Fixtures.server(PLAN, 9, ADAM, null);
        SplitClient fresh = new SplitClient(0, PLAN, 9, ADAM, new InProcessTransport(other))) {
      assertEquals(new ClientCheckpoints.Resume(1, 6), new ClientCheckpoints(store).restore(fresh));
      List<NamedTensor> restored = fresh.weights();
      assertEquals(saved.size(), restored.size());
      for (int i = 0; i < saved.size(); i++) {
        assertArrayEquals(
            saved.get(i).tensor().data(), restored.get(i).tensor().data(), 0f, saved.get(i).name());
      }
    }
    // the run resumes from them (server and client through their configs): epoch 2 only, steps
    // counted on
    List<ClientEpoch> resumed;
    long steps;
    try (SplitServerRuntime server =
            new SplitServerRuntime(
                PLAN,
                1,
                ADAM,
                null,
                new ServerConfig(
                    1, Schedule.PARALLEL, 2, 1, true, Duration.ofSeconds(60), store, true));
        SplitClient client = new SplitClient(0, PLAN, 1, ADAM, new InProcessTransport(server))) {
      SplitClientRuntime runtime =
          new SplitClientRuntime(
              client, data, null, config(false, store, true), ClientListener.NONE);
      resumed = runtime.run();
      steps = runtime.steps();
    }
    assertEquals(List.of(2), resumed.stream().map(ClientEpoch::epoch).toList());
    assertEquals(12, steps);
    assertTrue(Files.readString(dir.resolve("client-0-state.json")).contains("\"epoch\" : 2"));
    assertTrue(Files.readString(dir.resolve("server-state.json")).contains("\"epoch\" : 2"));
  }
}
