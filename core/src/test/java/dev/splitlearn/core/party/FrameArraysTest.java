package dev.splitlearn.core.party;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Frame;
import dev.splitlearn.core.protocol.FrameBuffers;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.Message.Gradient;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.Message.ServerOutput;
import dev.splitlearn.core.protocol.Message.Weights;
import dev.splitlearn.core.protocol.MessageCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cut tensors sent in process reach the receiver's engine without a copy: the frame's memory is
 * reused only two frames later, the values sit on an aligned address, and the engine array is made
 * over them. A frame received from a network is placed by the offset the codec reads off its first
 * bytes and is used in place too; frames in an array (files) are copied.
 */
class FrameArraysTest {
  private static final MessageCodec CODEC = new MessageCodec();

  private static FloatTensor tensor(int rows, int cols, float first) {
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = first + i * 0.5f;
    }
    return new FloatTensor(new long[] {rows, cols}, v);
  }

  @Test
  void aFrameStaysIntactUntilTheSecondFrameAfterItAndItsValuesAreAligned() {
    FrameBuffers frames = new FrameBuffers();
    ByteBuffer first =
        CODEC.encode(new Forward(3, 1, true, tensor(4, 5, 1), new int[0]), frames).bytes();
    byte[] firstBytes = bytes(first);
    ByteBuffer second =
        CODEC.encode(new Gradient(3, 1, tensor(4, 5, -7), Float.NaN), frames).bytes();
    assertArrayEquals(firstBytes, bytes(first), "the next frame must not overwrite this one");
    // version, type, client, step, training flag, then the tensor's rank, dims and encoding
    int valuesAt = 1 + 1 + 4 + 8 + 1 + 1 + 8 * 2 + 1;
    assertEquals(0, first.alignmentOffset(valuesAt, 64), "the activations' values are aligned");
    int gradientAt = 1 + 1 + 4 + 8 + 4 + 1 + 8 * 2 + 1;
    assertEquals(0, second.alignmentOffset(gradientAt, 64), "the gradient's values are aligned");
    CODEC.encode(new Gradient(3, 2, tensor(4, 5, 9), Float.NaN), frames);
    assertFalse(
        Arrays.equals(firstBytes, bytes(first)), "the third frame reuses the first one's memory");
  }

  @Test
  void aGrowingFrameGetsNewMemoryAndTheOldFrameKeepsItsBytes() {
    FrameBuffers frames = new FrameBuffers();
    ByteBuffer small = CODEC.encode(new ServerOutput(1, 1, tensor(2, 2, 1)), frames).bytes();
    byte[] smallBytes = bytes(small);
    CODEC.encode(new ServerOutput(1, 2, tensor(2, 2, 5)), frames);
    ByteBuffer big = CODEC.encode(new ServerOutput(1, 3, tensor(300, 300, 3)), frames).bytes();
    assertEquals(CODEC.size(new ServerOutput(1, 3, tensor(300, 300, 3))), big.remaining());
    assertArrayEquals(smallBytes, bytes(small), "memory replaced by a larger buffer is not reused");
  }

  @Test
  void aFrameAboveTheBoundGetsMemoryOfItsOwnThatIsNeverReused() {
    FrameBuffers frames = new FrameBuffers(1000);
    ByteBuffer big = CODEC.encode(new ServerOutput(1, 1, tensor(20, 20, 1)), frames).bytes();
    byte[] bigBytes = bytes(big);
    CODEC.encode(new ServerOutput(1, 2, tensor(20, 20, 5)), frames);
    CODEC.encode(new ServerOutput(1, 3, tensor(20, 20, 9)), frames);
    assertArrayEquals(bigBytes, bytes(big), "1,6xx bytes > 1,000: not in the reused buffers");
    int valuesAt = big.remaining() - 4 * 400;
    assertEquals(0, big.alignmentOffset(valuesAt, 64), "still aligned");
  }

  @Test
  void anInProcessCutTensorBecomesAnEngineArrayOverTheFrame() throws Exception {
    FrameBuffers frames = new FrameBuffers();
    FloatTensor sent = tensor(8, 16, 2);
    ByteBuffer frame = CODEC.encode(new ServerOutput(1, 1, sent), frames).bytes();
    FloatTensor received = ((ServerOutput) CODEC.decode(frame)).output();
    assertNotNull(received.frameBytes(), "an aligned direct frame is used in place");
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray array = Tensors.toArray(m, received);
      assertArrayEquals(sent.data(), array.toFloatArray());
      // the frame's memory is the array's: a byte written to the frame shows in the array
      int valuesAt = frame.remaining() - 4 * sent.size();
      ByteBuffer writable = frame.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      writable.putFloat(valuesAt, 123.5f);
      assertEquals(123.5f, array.toFloatArray()[0], "no copy was made");
    }
  }

  @Test
  void aReceivedFramePlacedWhereItsHeadSaysBecomesEngineArraysWithoutACopy() throws Exception {
    FloatTensor rank4 = new FloatTensor(new long[] {2, 3, 4, 5}, tensor(1, 120, 4).data());
    List<Message> cut =
        List.of(
            new Forward(2, 7, true, rank4, new int[] {1, 0}),
            new ServerOutput(2, 7, tensor(6, 10, -3)),
            new Gradient(2, 7, tensor(3, 33, 8), 0.25f));
    FrameBuffers received = new FrameBuffers();
    for (Message m : cut) {
      byte[] sent = CODEC.encode(m); // what a network delivers: bytes, placed anywhere
      ByteBuffer head = ByteBuffer.wrap(sent, 0, MessageCodec.HEAD_BYTES);
      int valuesAt = MessageCodec.cutValuesOffset(head);
      assertEquals(0, head.position(), "the head is only read");
      ByteBuffer frame = received.take(sent.length, valuesAt).put(sent).flip();
      FloatTensor t = cutTensor(CODEC.decode(frame));
      assertNotNull(t.frameBytes(), m.getClass().getSimpleName() + " values are aligned in place");
      assertEquals(cutTensor(m), t);
    }
    byte[] weights =
        CODEC.encode(new Weights(1, 0, 10, List.of(new NamedTensor("w", tensor(2, 2, 1)))));
    assertEquals(0, MessageCodec.cutValuesOffset(ByteBuffer.wrap(weights)), "no cut tensor");
    byte[] forward = CODEC.encode(cut.get(0));
    assertEquals(
        0, MessageCodec.cutValuesOffset(ByteBuffer.wrap(forward, 0, 15)), "head too short");
    forward[15] = 9; // rank beyond the wire's maximum
    assertEquals(0, MessageCodec.cutValuesOffset(ByteBuffer.wrap(forward)), "malformed rank");
  }

  @Test
  void framesFromAnArrayAndWeightsAreCopied() throws Exception {
    FloatTensor sent = tensor(8, 16, 2);
    byte[] bytes = CODEC.encode(new ServerOutput(1, 1, sent));
    FloatTensor received = ((ServerOutput) CODEC.decode(bytes)).output();
    assertNull(received.frameBytes(), "a heap frame is not engine memory");
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray array = Tensors.toArray(m, received);
      bytes[bytes.length - 4 * sent.size()] ^= 0x7f;
      assertArrayEquals(sent.data(), array.toFloatArray(), "the array is a copy");
    }
    // weights outlive the request (a server keeps uploads until every client has sent): copied
    FrameBuffers frames = new FrameBuffers();
    ByteBuffer frame =
        CODEC.encode(new Weights(1, 0, 10, List.of(new NamedTensor("w", sent))), frames).bytes();
    Weights w = (Weights) CODEC.decode(frame);
    CODEC.encode(new Weights(1, 1, 10, List.of(new NamedTensor("w", tensor(8, 16, 99)))), frames);
    CODEC.encode(new Weights(1, 2, 10, List.of(new NamedTensor("w", tensor(8, 16, 77)))), frames);
    assertNull(w.tensors().get(0).tensor().frameBytes());
    assertArrayEquals(sent.data(), w.tensors().get(0).tensor().data());
  }

  @Test
  void aNonFiniteValueInAnInProcessFrameIsRejectedBeforeTheEngineSeesIt() throws Exception {
    float[] v = tensor(8, 16, 2).data().clone();
    v[37] = Float.NaN;
    FrameBuffers frames = new FrameBuffers();
    ByteBuffer frame =
        CODEC
            .encode(new ServerOutput(1, 1, new FloatTensor(new long[] {8, 16}, v)), frames)
            .bytes();
    FloatTensor received = ((ServerOutput) CODEC.decode(frame)).output();
    assertNotNull(received.frameBytes());
    try (NDManager m = NDManager.newBaseManager()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  Tensors.toFiniteArray(
                      m,
                      received,
                      i -> {
                        throw new IllegalArgumentException("value " + i);
                      }));
      assertEquals("value 37", e.getMessage());
      assertEquals(0, m.getManagedArrays().size(), "no array is left open");
    }
  }

  @Test
  void anEngineTensorSentInProcessIsReadWhereItIsAndCopiedInOnlyWhenTheBytesAreNeeded()
      throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      // made by libtorch, like a model's activations (its allocator aligns to 64 bytes; an array
      // made from a Java array sits in a direct buffer wherever the JVM put it)
      NDArray activations = m.arange(128f).reshape(new Shape(8, 16));
      Forward sent =
          new Forward(4, 9, true, Tensors.view(activations), new int[] {3, 1, 4, 1, 5, 9, 2, 6});
      FrameBuffers frames = new FrameBuffers();
      Frame frame = CODEC.encode(sent, frames);
      assertEquals(CODEC.size(sent), frame.size(), "the values' space is counted and reserved");
      assertEquals("forward", MessageCodec.typeName(frame));
      assertNull(MessageCodec.errorOf(frame));

      Forward received = (Forward) CODEC.decode(frame);
      assertArrayEquals(
          new int[] {3, 1, 4, 1, 5, 9, 2, 6}, received.labels(), "what follows the values decodes");
      assertArrayEquals(activations.toFloatArray(), received.activations().data());
      assertNotNull(received.activations().frameBytes(), "aligned: an engine array goes over it");
      activations.addi(m.full(activations.getShape(), 0.5f));
      float[] now = new float[received.activations().size()];
      received.activations().floats().get(now);
      assertArrayEquals(activations.toFloatArray(), now, "the sender's memory, not a copy");

      // gRPC reads the frame in segments, the values where they are; a tap takes the bytes, the
      // values copied in: either way, the encoding of old
      java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
      for (ByteBuffer segment : frame.segments()) {
        streamed.write(bytes(segment));
      }
      assertArrayEquals(CODEC.encode(sent), streamed.toByteArray());
      assertArrayEquals(CODEC.encode(sent), bytes(frame.bytes()));
      assertEquals(1, frame.segments().length, "copied in: one segment");
      assertEquals(sent.activations(), ((Forward) CODEC.decode(frame)).activations());
      Gradient gradient = new Gradient(4, 9, Tensors.view(activations), 0.5f);
      assertArrayEquals(CODEC.encode(gradient), bytes(CODEC.encode(gradient, frames).bytes()));
    }
  }

  @Test
  void onlyDenseFloat32ValuesInDirectMemoryAreDeferred() throws Exception {
    FloatTensor onHeap = tensor(8, 16, 2);
    Frame frame = CODEC.encode(new ServerOutput(1, 1, onHeap), new FrameBuffers());
    assertArrayEquals(CODEC.encode(new ServerOutput(1, 1, onHeap)), bytes(frame.bytes()));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(onHeap.data(), new Shape(8, 16));
      Message half = new ServerOutput(1, 1, Tensors.view(a));
      MessageCodec float16 = new MessageCodec(MessageCodec.DEFAULT_MAX_BYTES, Compression.FLOAT16);
      Frame packed = float16.encode(half, new FrameBuffers());
      assertArrayEquals(float16.encode(half), bytes(packed.bytes()), "float16: converted in");
    }
  }

  private static FloatTensor cutTensor(Message m) {
    return m instanceof Forward f
        ? f.activations()
        : m instanceof ServerOutput o ? o.output() : ((Gradient) m).gradient();
  }

  private static byte[] bytes(ByteBuffer frame) {
    byte[] b = new byte[frame.remaining()];
    frame.duplicate().get(b);
    return b;
  }
}
