package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.MalformedMessageException;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.Ack;
import dev.splitlearn.core.protocol.Message.EncryptedForward;
import dev.splitlearn.core.protocol.Message.EncryptedOutput;
import dev.splitlearn.core.protocol.Message.FetchWeights;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.Message.Gradient;
import dev.splitlearn.core.protocol.Message.HeSetup;
import dev.splitlearn.core.protocol.Message.LayerGradient;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.Message.ServerOutput;
import dev.splitlearn.core.protocol.Message.Weights;
import dev.splitlearn.core.protocol.MessageCodec;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
  private final MessageCodec codec = new MessageCodec();

  private static FloatTensor tensor(int rows, int cols, float base) {
    float[] d = new float[rows * cols];
    for (int i = 0; i < d.length; i++) {
      d[i] = base + i * 0.5f;
    }
    return new FloatTensor(new long[] {rows, cols}, d);
  }

  private static List<Message> samples() {
    return List.of(
        new Forward(3, 17, true, tensor(2, 3, 1), new int[] {4, 9}),
        new Forward(1, 0, false, tensor(1, 1, -2), null),
        new ServerOutput(2, 5, tensor(4, 2, 0)),
        new Gradient(0, 8, tensor(3, 3, 7), 0.25f),
        new Weights(
            5,
            2,
            1000,
            List.of(
                new NamedTensor("extractor/w", tensor(2, 2, 1)),
                new NamedTensor("classifier/b", tensor(1, 3, 0)))),
        new FetchWeights(5, 2),
        new Ack(9),
        new HeSetup(1, new byte[] {1, 2, 3, 4}),
        new EncryptedForward(
            1, 3, true, 64, List.of(new byte[] {9, 8, 7}, new byte[0], new byte[] {5})),
        new EncryptedOutput(
            1, 3, List.of(new byte[] {1, 1}), List.of(new NamedTensor("weight", tensor(5, 4, 0)))),
        new EncryptedOutput(1, 4, List.of(new byte[] {2}), List.of()),
        new LayerGradient(1, 3, List.of(new NamedTensor("bias", tensor(1, 5, 1))), null),
        new LayerGradient(1, 3, List.of(), tensor(4, 5, 2)));
  }

  @Test
  void everyMessageTypeRoundTripsAndSizeIsExact() throws Exception {
    for (Message m : samples()) {
      byte[] bytes = codec.encode(m);
      assertEquals(MessageCodec.binarySize(m), bytes.length, m.getClass().getSimpleName());
      Message back = codec.decode(bytes);
      assertArrayEquals(bytes, codec.encode(back), m.getClass().getSimpleName());
    }
  }

  @Test
  void everyTruncationIsRejected() {
    for (Message m : samples()) {
      byte[] bytes = codec.encode(m);
      for (int cut = 0; cut < bytes.length; cut++) {
        byte[] shortened = Arrays.copyOf(bytes, cut);
        assertThrows(
            MalformedMessageException.class,
            () -> codec.decode(shortened),
            m.getClass().getSimpleName() + " cut at " + cut);
      }
    }
  }

  @Test
  void wrongVersionUnknownTypeAndTrailingBytesAreNamed() {
    byte[] bytes = codec.encode(new Ack(1));
    bytes[0] = 9;
    assertTrue(
        assertThrows(MalformedMessageException.class, () -> codec.decode(bytes))
            .getMessage()
            .contains("version 9"));
    byte[] typed = codec.encode(new Ack(1));
    typed[1] = 42;
    assertTrue(
        assertThrows(MalformedMessageException.class, () -> codec.decode(typed))
            .getMessage()
            .contains("type 42"));
    byte[] longer = Arrays.copyOf(codec.encode(new Ack(1)), 8);
    assertTrue(
        assertThrows(MalformedMessageException.class, () -> codec.decode(longer))
            .getMessage()
            .contains("trailing"));
  }

  @Test
  void oversizedMessagesAreRefusedBothWays() {
    MessageCodec small = new MessageCodec(64);
    Message big = new ServerOutput(0, 0, tensor(10, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> small.encode(big));
    assertThrows(MalformedMessageException.class, () -> small.decode(codec.encode(big)));
  }

  @Test
  void forgedHugeDimensionDoesNotAllocate() {
    byte[] bytes = codec.encode(new ServerOutput(0, 0, tensor(1, 1, 0)));
    // version, type, clientId(4), step(8), rank(1), then dim 0 (8 bytes): claim 2^40 rows
    bytes[15] = 0;
    bytes[15 + 5] = 1;
    MalformedMessageException e =
        assertThrows(MalformedMessageException.class, () -> codec.decode(bytes));
    assertTrue(e.getMessage().contains("ServerOutput.output"), e.getMessage());
  }

  @Property(tries = 50)
  void gradientsRoundTripExactly(
      @ForAll @IntRange(min = 1, max = 40) int rows,
      @ForAll @IntRange(min = 1, max = 40) int cols,
      @ForAll float loss)
      throws Exception {
    Gradient g = new Gradient(1, rows, tensor(rows, cols, loss), loss);
    Gradient back = (Gradient) codec.decode(codec.encode(g));
    assertEquals(g.gradient(), back.gradient());
    assertEquals(Float.floatToIntBits(loss), Float.floatToIntBits(back.loss()));
  }
}
