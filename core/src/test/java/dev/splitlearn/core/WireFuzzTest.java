package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.client.ClientConfig;
import dev.splitlearn.core.client.ClientListener;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.client.SplitClientRuntime;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.ActivationEncoding;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Frame;
import dev.splitlearn.core.protocol.InProcessTransport;
import dev.splitlearn.core.protocol.MalformedMessageException;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.ErrorReply;
import dev.splitlearn.core.protocol.Message.Hello;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.protocol.WireEndpoint;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Random and mutated frames thrown at the decoder and at a live server's handlers: the decoder
 * either decodes or says what is malformed, and the server answers every frame with a reply that
 * decodes, never an internal error, and keeps serving the other client afterwards.
 */
class WireFuzzTest {
  private static final SplitPlan PLAN =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5).plan(Protocol.U_SHAPED);
  private static final OptimizerSpec ADAM = OptimizerSpec.adam(0.003f);
  private static final MessageCodec CODEC = new MessageCodec();
  private static final MessageCodec SPARSE =
      new MessageCodec(
          MessageCodec.DEFAULT_MAX_BYTES, Compression.FLOAT16, ActivationEncoding.SPARSE);
  private static final MessageCodec PACKED =
      new MessageCodec(
          MessageCodec.DEFAULT_MAX_BYTES, Compression.FLOAT32, ActivationEncoding.packed(3));
  private static List<byte[]> corpus;
  private static List<byte[]> layouts; // Forward frames with sparse and packed activations
  private static SplitServerRuntime server;
  private static WireEndpoint.Connection victim; // client 0: stays well-behaved
  private static WireEndpoint.Connection fuzzed; // client 1: gets the mutated frames

  /** Real frames of a short training (tapped), as client 1. */
  @BeforeContainer
  static void setUp() throws Exception {
    Fixtures.Tap tap;
    try (SplitServerRuntime s =
        new SplitServerRuntime(
            PLAN,
            1,
            ADAM,
            null,
            new ServerConfig(
                1, Schedule.PARALLEL, 1, 1, true, Duration.ofSeconds(30), null, false))) {
      tap = new Fixtures.Tap(s);
      try (SplitClient c = new SplitClient(0, PLAN, 1, ADAM, new InProcessTransport(tap))) {
        new SplitClientRuntime(
                c,
                Fixtures.waves(64, 1),
                null,
                new ClientConfig(
                    ADAM, 32, 1, Augmentation.NONE, Compression.FLOAT32, false, null, false),
                ClientListener.NONE)
            .run();
      }
    }
    corpus = new ArrayList<>();
    layouts = new ArrayList<>();
    for (byte[] f : tap.frames()) {
      ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(2, 1); // client id 1
      corpus.add(f);
      if (MessageCodec.typeName(Frame.of(ByteBuffer.wrap(f)))
          .equals("forward")) { // the same activations, sparse and bit-packed
        Message.Forward fw = (Message.Forward) CODEC.decode(f);
        float[] v = fw.activations().data().clone();
        for (int i = 0; i < v.length; i++) {
          v[i] = i % 10 == 3 ? v[i] : 0;
        }
        FloatTensor sparse = new FloatTensor(fw.activations().shape(), v);
        layouts.add(
            SPARSE.encode(new Message.Forward(1, fw.step(), fw.training(), sparse, fw.labels())));
        layouts.add(PACKED.encode(fw));
      }
    }
    corpus.addAll(layouts);
    server =
        new SplitServerRuntime(
            PLAN,
            1,
            ADAM,
            null,
            new ServerConfig(2, Schedule.PARALLEL, 1, 1, true, Duration.ofMillis(50), null, false));
    victim = server.connect("victim");
    fuzzed = server.connect("fuzzed");
    Thread joining = new Thread(() -> reply(fuzzed, CODEC.encode(hello(1))));
    joining.start();
    assertTrue(reply(victim, CODEC.encode(hello(0))) instanceof Message.Welcome);
    joining.join();
  }

  @AfterContainer
  static void tearDown() {
    victim.close();
    fuzzed.close();
    server.close();
  }

  private static Hello hello(int client) {
    return new Hello(
        client, MessageCodec.VERSION, PLAN.fingerprint(), Compression.FLOAT32, "", 2, 64);
  }

  /** The server's reply to {@code frame}, sent in direct memory as the in-process link sends it. */
  private static Message reply(WireEndpoint.Connection c, byte[] frame) {
    ByteBuffer direct = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
    try {
      return CODEC.decode(c.handle(Frame.of(direct)));
    } catch (MalformedMessageException e) {
      throw new AssertionError("the server's reply does not decode: " + e.getMessage(), e);
    }
  }

  /**
   * A corpus frame with up to four mutations: a byte set, a length-like word overwritten, a cut, a
   * tail.
   */
  private static byte[] mutate(long seed) {
    Random r = new Random(seed);
    byte[] f = corpus.get(r.nextInt(corpus.size())).clone();
    int mutations = 1 + r.nextInt(4);
    for (int m = 0; m < mutations && f.length > 0; m++) {
      switch (r.nextInt(5)) {
        case 0 -> f[r.nextInt(f.length)] = (byte) r.nextInt(256);
        case 1 -> {
          if (f.length >= 8) {
            int at = r.nextInt(f.length - 7);
            int[] words = {-1, 0, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, r.nextInt(), 1 << 20};
            ByteBuffer.wrap(f)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(at, words[r.nextInt(words.length)]);
          }
        }
        case 2 -> f = Arrays.copyOf(f, r.nextInt(f.length));
        case 3 -> {
          byte[] tail = new byte[1 + r.nextInt(64)];
          r.nextBytes(tail);
          byte[] g = Arrays.copyOf(f, f.length + tail.length);
          System.arraycopy(tail, 0, g, f.length, tail.length);
          f = g;
        }
        default -> {
          if (f.length > 2) {
            f[1] = (byte) r.nextInt(20); // another message type over the same body
          }
        }
      }
    }
    return f;
  }

  @Property(tries = 400)
  void theDecoderDecodesOrSaysWhatIsMalformed(@ForAll long seed, @ForAll boolean random) {
    byte[] frame;
    if (random) {
      Random r = new Random(seed);
      frame = new byte[r.nextInt(200)];
      r.nextBytes(frame);
    } else {
      frame = mutate(seed);
    }
    try {
      Message m = CODEC.decode(frame);
      assertTrue(m != null);
    } catch (MalformedMessageException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }
  }

  /**
   * Sparse and packed frames with bytes of their tensor changed (positions, counts, varints, value
   * encodings, bits, ranges, codes) or cut: decoded into a tensor of its announced shape, or
   * refused by name, never an exception of another kind; and the server answers them without an
   * internal error.
   */
  @Property(tries = 400)
  void sparseAndPackedTensorsDecodeOrSayWhatIsMalformed(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] f = layouts.get(r.nextInt(layouts.size())).clone();
    int tensorAt = 1 + 1 + 4 + 8 + 1;
    int headEnd = tensorAt + 1 + 8 * f[tensorAt] + 1; // the encoding byte's successor
    int mutations = 1 + r.nextInt(3);
    for (int m = 0; m < mutations; m++) {
      int at =
          r.nextInt(4) == 0 ? headEnd - 1 + r.nextInt(12) : headEnd + r.nextInt(f.length - headEnd);
      f[Math.min(at, f.length - 1)] =
          (byte) (r.nextBoolean() ? r.nextInt(256) : f[at % f.length] ^ 1 << r.nextInt(8));
    }
    if (r.nextInt(4) == 0) {
      f = Arrays.copyOf(f, r.nextInt(f.length));
    }
    try {
      Message.Forward m = (Message.Forward) CODEC.decode(f);
      long n = 1;
      for (long d : m.activations().shape()) {
        n *= d;
      }
      assertEquals(n, m.activations().data().length);
      Statistics.collect("decoded");
    } catch (MalformedMessageException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
      String what = e.getMessage().replaceAll("^[^:]*: ", "").replaceAll("[-0-9.]+", "N");
      Statistics.collect(what.length() > 40 ? what.substring(0, 40) : what);
    }
    Message reply = reply(fuzzed, f);
    if (reply instanceof ErrorReply e) {
      assertNotEquals(ErrorCode.INTERNAL, e.code(), e.text());
    }
  }

  @Property(tries = 150)
  void theServerAnswersEveryMutatedFrameWithoutAnInternalError(@ForAll long seed) {
    Message reply = reply(fuzzed, mutate(seed));
    Statistics.collect(
        reply instanceof ErrorReply e ? e.code().name() : reply.getClass().getSimpleName());
    if (reply instanceof ErrorReply e) {
      assertNotEquals(ErrorCode.INTERNAL, e.code(), e.text());
      assertTrue(!e.text().isBlank());
    }
  }

  @Property(tries = 60)
  void aStrangerWithoutHandshakeIsRefusedWhateverItSends(@ForAll long seed) {
    WireEndpoint.Connection stranger = server.connect("stranger");
    try {
      Message reply = reply(stranger, mutate(seed));
      assertTrue(reply instanceof ErrorReply, reply.toString());
      assertNotEquals(ErrorCode.INTERNAL, ((ErrorReply) reply).code(), ((ErrorReply) reply).text());
    } finally {
      stranger.close();
    }
  }

  @Property(tries = 1)
  void theOtherClientIsStillServedAfterTheFuzzing() {
    // runs after the properties above in declaration order is not guaranteed, so fuzz a little here
    // too
    for (long seed = 0; seed < 30; seed++) {
      reply(fuzzed, mutate(seed));
    }
    byte[] forward = null;
    for (byte[] f : corpus) {
      if (MessageCodec.typeName(Frame.of(ByteBuffer.wrap(f))).equals("forward")) {
        forward = f.clone();
        break;
      }
    }
    ByteBuffer.wrap(forward)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(2, 0)
        .putLong(6, 0); // client 0, step 0
    Message out = reply(victim, forward);
    assertTrue(out instanceof Message.ServerOutput, out.toString());
    assertEquals(0, out.clientId());
  }
}
