package dev.splitlearn.bench.wire;

import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Frame;
import dev.splitlearn.core.protocol.FrameBuffers;
import dev.splitlearn.core.protocol.InProcessTransport;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.Message.Gradient;
import dev.splitlearn.core.protocol.Message.ServerOutput;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.WireEndpoint;
import dev.splitlearn.core.protocol.WireTransport;
import dev.splitlearn.transport.grpc.GrpcLink;
import dev.splitlearn.transport.grpc.GrpcServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One U-shaped split step's traffic, as in {@code bench --dataset mnist} (mnist-cnn cut at conv1
 * and fc1, batch 64): the activations up and the cloud output back, then the output's gradient up
 * and the activations' gradient back. The client encodes its requests and decodes the replies
 * exactly as in training; the server end answers each request with a reply encoded beforehand, so
 * that only the codec and the transport are timed (no engine, no session logic).
 */
@State(Scope.Benchmark)
public class TransportBenchmark {
  /** {@code in-process} or {@code grpc} (loopback, plaintext). */
  @Param({"in-process", "grpc"})
  public String transport;

  /**
   * Values per sample at the first cut: 6656 for mnist-cnn at conv1, 1.7 MB a batch (bench's
   * 1,736,793 bytes up and 1,736,788 down a step).
   */
  @Param({"6656"})
  public int activationsPerSample;

  private static final int BATCH = 64;
  private static final int OUTPUTS = 128;

  private GrpcServer server;
  private WireTransport client;
  private Forward forward;
  private Gradient outputGradient;

  /** Encodes the server's replies and connects the client. */
  @Setup
  public void setup() throws IOException {
    MessageCodec codec = new MessageCodec();
    ByteBuffer output = encoded(codec, new ServerOutput(0, 1, tensor(OUTPUTS, 1)));
    ByteBuffer activationGradient =
        encoded(codec, new Gradient(0, 1, tensor(activationsPerSample, 3), Float.NaN));
    WireEndpoint endpoint =
        (peer, authenticated) ->
            new WireEndpoint.Connection() {
              @Override
              public Frame handle(Frame request) {
                return Frame.of(
                    MessageCodec.typeName(request).equals("forward") ? output : activationGradient);
              }

              @Override
              public void close() {}
            };
    forward = new Forward(0, 1, true, tensor(activationsPerSample, 2), new int[0]);
    outputGradient = new Gradient(0, 1, tensor(OUTPUTS, 4), Float.NaN);
    switch (transport) {
      case "in-process" -> client = new InProcessTransport(endpoint, codec);
      case "grpc" -> {
        server = GrpcServer.start(endpoint, "127.0.0.1", 0);
        client =
            new WireTransport(
                GrpcLink.connect("127.0.0.1:" + server.port(), Duration.ofSeconds(30)), codec);
      }
      default -> throw new IllegalArgumentException("unknown transport " + transport);
    }
  }

  /** Closes the client and the server. */
  @TearDown
  public void tearDown() throws IOException {
    client.close();
    if (server != null) {
      server.close();
    }
  }

  /**
   * @return the last reply (decoded, its tensor a view of the frame)
   */
  @Benchmark
  public Message step() throws IOException {
    client.exchange(forward);
    return client.exchange(outputGradient);
  }

  private static FloatTensor tensor(int perSample, float first) {
    float[] v = new float[BATCH * perSample];
    for (int i = 0; i < v.length; i++) {
      v[i] = first + (i % 97) * 0.01f;
    }
    return new FloatTensor(new long[] {BATCH, perSample}, v);
  }

  private static ByteBuffer encoded(MessageCodec codec, Message m) {
    return codec.encode(m, new FrameBuffers()).bytes();
  }
}
