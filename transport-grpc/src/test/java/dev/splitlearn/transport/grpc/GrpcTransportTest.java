package dev.splitlearn.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.Fixtures;
import dev.splitlearn.core.client.ClientConfig;
import dev.splitlearn.core.client.ClientEpoch;
import dev.splitlearn.core.client.ClientListener;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.client.SplitClientRuntime;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.Frame;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.Message.Hello;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.RemoteException;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.protocol.WireEndpoint;
import dev.splitlearn.core.protocol.WireTransport;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.RunReport;
import dev.splitlearn.core.train.SplitTraining;
import dev.splitlearn.core.train.TrainingConfig;
import dev.splitlearn.core.train.TrainingListener;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.data.Partitioner;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The protocol over real gRPC on loopback: same numbers as in-process, refusals as status replies.
 */
class GrpcTransportTest {
  private static final ModelSpec ECG =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5);
  private static final SplitPlan PLAN = ECG.plan(Protocol.U_SHAPED);
  private static final OptimizerSpec ADAM = OptimizerSpec.adam(0.003f);

  @Test
  void twoClientsOverGrpcTrainExactlyAsInProcess() throws Exception {
    trainExactlyAsInProcess(2);
  }

  /** One plaintext client: the server handles its requests on gRPC's network threads. */
  @Test
  void oneClientOverGrpcTrainsExactlyAsInProcess() throws Exception {
    trainExactlyAsInProcess(1);
  }

  private static void trainExactlyAsInProcess(int clients) throws Exception {
    List<Dataset> parts = Partitioner.iid(Fixtures.waves(300 * clients, 1), clients, 3);
    Dataset test = Fixtures.waves(200, 2);
    TrainingConfig cfg =
        new TrainingConfig(
            Schedule.PARALLEL, 2, 32, ADAM, 11, 1, null, false, Augmentation.NONE, null);
    RunReport inProcess;
    try (SplitTraining t = new SplitTraining(PLAN, parts, test, cfg, TrainingListener.NONE)) {
      inProcess = t.run();
    }

    List<List<ClientEpoch>> results = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      results.add(List.of());
    }
    try (SplitServerRuntime server =
            new SplitServerRuntime(
                PLAN,
                11,
                ADAM,
                null,
                new ServerConfig(
                    clients, Schedule.PARALLEL, 2, 1, true, Duration.ofMinutes(2), null, false));
        GrpcServer grpc = GrpcServer.start(server, "127.0.0.1", 0)) {
      assertEquals(clients == 1, server.handlesOnNetworkThreads());
      List<Thread> threads = new ArrayList<>();
      Exception[] failure = new Exception[1];
      for (int i = 0; i < clients; i++) {
        int id = i;
        Thread t =
            new Thread(
                () -> {
                  try (SplitClient c =
                      new SplitClient(
                          id,
                          PLAN,
                          11,
                          ADAM,
                          new WireTransport(
                              GrpcLink.connect("127.0.0.1:" + grpc.port(), Duration.ofMinutes(2)),
                              new MessageCodec()))) {
                    results.set(
                        id,
                        new SplitClientRuntime(
                                c,
                                parts.get(id),
                                id == 0 ? test : null,
                                new ClientConfig(
                                    ADAM,
                                    32,
                                    11,
                                    Augmentation.NONE,
                                    Compression.FLOAT32,
                                    id == 0,
                                    null,
                                    false),
                                ClientListener.NONE)
                            .run());
                  } catch (Exception e) {
                    failure[0] = e;
                  }
                });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      if (failure[0] != null) {
        throw failure[0];
      }
      assertTrue(server.awaitClientsLeft(Duration.ofSeconds(10)), "every session closed");
    }
    for (int e = 0; e < 2; e++) {
      double lossSum = 0;
      long steps = 0;
      for (List<ClientEpoch> r : results) {
        lossSum += r.get(e).lossSum();
        steps += r.get(e).steps();
      }
      assertEquals(
          inProcess.epochs().get(e).trainLoss(),
          lossSum / steps,
          0.0,
          "epoch " + (e + 1) + " loss");
    }
    assertEquals(
        inProcess.evaluation().accuracy(),
        results.get(0).get(1).evaluation().accuracy(),
        0.0,
        "accuracy");
  }

  @Test
  void requestsAreHandledOnNetworkThreadsOnlyWhereTheEndpointAllowsIt() throws Exception {
    for (boolean inline : new boolean[] {false, true}) {
      List<Boolean> onEventLoop = new ArrayList<>();
      WireEndpoint echo =
          new WireEndpoint() {
            @Override
            public boolean handlesOnNetworkThreads() {
              return inline;
            }

            @Override
            public Connection connect(String peer, java.util.OptionalInt client) {
              return new Connection() {
                @Override
                public Frame handle(Frame request) {
                  // netty's event loops run on its own thread class; gRPC's executor on plain ones
                  onEventLoop.add(
                      Thread.currentThread()
                          instanceof
                          io.grpc.netty.shaded.io.netty.util.concurrent.FastThreadLocalThread);
                  return Frame.of(request.bytes());
                }

                @Override
                public void close() {}
              };
            }
          };
      try (GrpcServer grpc = GrpcServer.start(echo, "127.0.0.1", 0);
          WireTransport t =
              new WireTransport(
                  GrpcLink.connect("127.0.0.1:" + grpc.port(), Duration.ofSeconds(30)),
                  new MessageCodec())) {
        Hello hello =
            new Hello(0, MessageCodec.VERSION, PLAN.fingerprint(), Compression.FLOAT32, "", 1, 1);
        assertEquals(hello, t.exchange(hello), "echoed");
        assertEquals(List.of(inline), onEventLoop, "inline " + inline);
      }
    }
  }

  @Test
  void refusalsEndTheStreamWithTheirStatusAndText() throws Exception {
    try (SplitServerRuntime server =
            new SplitServerRuntime(
                PLAN,
                1,
                ADAM,
                null,
                new ServerConfig(
                    1, Schedule.PARALLEL, 1, 1, true, Duration.ofSeconds(30), null, false));
        GrpcServer grpc = GrpcServer.start(server, "127.0.0.1", 0)) {
      String target = "127.0.0.1:" + grpc.port();
      try (WireTransport t =
          new WireTransport(GrpcLink.connect(target, Duration.ofSeconds(30)), new MessageCodec())) {
        RemoteException e =
            assertThrows(
                RemoteException.class,
                () ->
                    t.exchange(
                        new Hello(
                            0,
                            MessageCodec.VERSION,
                            "mnist-cnn something else",
                            Compression.FLOAT32,
                            "",
                            1,
                            1)));
        assertEquals(ErrorCode.ABORTED, e.code());
        assertTrue(
            e.getMessage().contains("this server '" + PLAN.fingerprint() + "'"), e.getMessage());
      }
      try (WireTransport t =
          new WireTransport(GrpcLink.connect(target, Duration.ofSeconds(30)), new MessageCodec())) {
        RemoteException e =
            assertThrows(
                RemoteException.class,
                () ->
                    t.exchange(
                        new Forward(
                            0,
                            0,
                            true,
                            new dev.splitlearn.core.protocol.FloatTensor(
                                new long[] {1, 1}, new float[1]),
                            null)));
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
        assertTrue(e.getMessage().contains("before Hello"), e.getMessage());
      }
      try (GrpcLink raw = GrpcLink.connect(target, Duration.ofSeconds(30))) {
        RemoteException e =
            assertThrows(
                RemoteException.class,
                () -> raw.roundTrip(Frame.of(java.nio.ByteBuffer.wrap(new byte[] {9, 9, 9}))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
      }
    }
  }

  @Test
  void anOversizedFrameIsRefusedBeforeItIsReadAndTheServerServesOn() throws Exception {
    try (SplitServerRuntime server =
            new SplitServerRuntime(
                PLAN,
                1,
                ADAM,
                null,
                new ServerConfig(
                    1, Schedule.PARALLEL, 1, 1, true, Duration.ofSeconds(30), null, false));
        GrpcServer grpc =
            GrpcServer.start(server, "127.0.0.1", 0, ServerSecurity.none(), 1 << 20)) {
      String target = "127.0.0.1:" + grpc.port();
      try (GrpcLink big = GrpcLink.connect(target, Duration.ofSeconds(30))) {
        java.io.IOException e =
            assertThrows(
                java.io.IOException.class,
                () -> big.roundTrip(Frame.of(java.nio.ByteBuffer.allocate(2 << 20))));
        assertTrue(e.getMessage().contains("RESOURCE_EXHAUSTED"), e.getMessage());
      }
      try (WireTransport t =
          new WireTransport(GrpcLink.connect(target, Duration.ofSeconds(30)), new MessageCodec())) {
        assertTrue(
            t.exchange(
                    new Hello(
                        0, MessageCodec.VERSION, PLAN.fingerprint(), Compression.FLOAT32, "", 1, 1))
                instanceof dev.splitlearn.core.protocol.Message.Welcome,
            "the next client is served");
      }
      io.grpc.ManagedChannel channel =
          io.grpc.ManagedChannelBuilder.forTarget(target).usePlaintext().build();
      try {
        assertEquals(
            io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING,
            io.grpc.health.v1.HealthGrpc.newBlockingStub(channel)
                .check(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance())
                .getStatus(),
            "grpc.health.v1 answers");
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void badTensorsAndAnotherClientsMessagesGetTheirStatusOverTheWire() throws Exception {
    try (SplitServerRuntime server =
            new SplitServerRuntime(
                PLAN,
                1,
                ADAM,
                null,
                new ServerConfig(
                    1, Schedule.PARALLEL, 1, 1, true, Duration.ofSeconds(30), null, false));
        GrpcServer grpc = GrpcServer.start(server, "127.0.0.1", 0)) {
      String target = "127.0.0.1:" + grpc.port();
      long[] shape = server.cloud().inputShape().getShape().clone();
      shape[0] = 2;
      int n = (int) new ai.djl.ndarray.types.Shape(shape).size();
      float[] nan = new float[n];
      nan[n / 2] = Float.NaN;
      long[] wrong = shape.clone();
      wrong[1] += 1;
      Object[][] cases = {
        {
          new Forward(
              1, 0, true, new dev.splitlearn.core.protocol.FloatTensor(shape, new float[n]), null),
          ErrorCode.PERMISSION_DENIED,
          "on the session of client 0"
        },
        {
          new Forward(0, 0, true, new dev.splitlearn.core.protocol.FloatTensor(shape, nan), null),
          ErrorCode.INVALID_ARGUMENT,
          "is not finite"
        },
        {
          new Forward(
              0,
              0,
              true,
              new dev.splitlearn.core.protocol.FloatTensor(
                  wrong, new float[(int) new ai.djl.ndarray.types.Shape(wrong).size()]),
              null),
          ErrorCode.INVALID_ARGUMENT,
          "do not fit the cloud model input"
        }
      };
      for (Object[] c : cases) {
        // each refusal ends that session; client 0 rejoins for the next case
        try (WireTransport t =
            new WireTransport(
                GrpcLink.connect(target, Duration.ofSeconds(30)), new MessageCodec())) {
          t.exchange(
              new Hello(
                  0, MessageCodec.VERSION, PLAN.fingerprint(), Compression.FLOAT32, "", 1, 1));
          RemoteException e = assertThrows(RemoteException.class, () -> t.exchange((Forward) c[0]));
          assertEquals(c[1], e.code(), e.getMessage());
          assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
        }
      }
    }
  }
}
