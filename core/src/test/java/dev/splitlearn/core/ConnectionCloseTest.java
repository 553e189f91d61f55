package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.Frame;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.Hello;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.protocol.WireEndpoint;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.ServerListener;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A connection closed twice (by the transport and by its owner) ends its session once. */
class ConnectionCloseTest {
  private static final SplitPlan PLAN =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5).plan(Protocol.U_SHAPED);
  private static final MessageCodec CODEC = new MessageCodec();

  @Test
  void aSecondCloseEndsNothingMore() throws Exception {
    List<String> closed = new CopyOnWriteArrayList<>();
    try (SplitServerRuntime server =
        new SplitServerRuntime(
            PLAN,
            1,
            OptimizerSpec.adam(0.003f),
            null,
            new ServerConfig(
                1, Schedule.PARALLEL, 1, 1, true, Duration.ofMillis(50), null, false))) {
      server.addListener(
          new ServerListener() {
            @Override
            public void sessionClosed(int clientId, long steps) {
              closed.add("client " + clientId);
            }
          });
      WireEndpoint.Connection c = server.connect("twice");
      Hello hello =
          new Hello(0, MessageCodec.VERSION, PLAN.fingerprint(), Compression.FLOAT32, "", 2, 64);
      byte[] frame = CODEC.encode(hello);
      ByteBuffer direct = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
      Message reply = CODEC.decode(c.handle(Frame.of(direct)));
      assertTrue(reply instanceof Message.Welcome, reply.toString());
      c.close();
      c.close();
      assertEquals(List.of("client 0"), closed, "the session ended once");
      assertEquals(1, server.clientFigures().size(), "one set of figures for the client");
    }
  }
}
