package dev.splitlearn.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.FrameBuffers;
import dev.splitlearn.core.protocol.Message.ServerOutput;
import dev.splitlearn.core.protocol.MessageCodec;
import io.grpc.HasByteBuffer;
import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/**
 * A received gRPC message becomes a frame in the reader's reused memory, whole and with its cut
 * tensor's values aligned for the engine, whether gRPC exposes its buffers or only a stream.
 */
class FrameReaderTest {
  private static final MessageCodec CODEC = new MessageCodec();

  private static byte[] frame(float first) {
    float[] v = new float[6 * 50];
    for (int i = 0; i < v.length; i++) {
      v[i] = first + i;
    }
    return CODEC.encode(new ServerOutput(4, 9, new FloatTensor(new long[] {6, 50}, v)));
  }

  @Test
  void aMessageInPiecesIsReadWholeAlignedAndValidUntilTheSecondFrameAfterIt() throws Exception {
    FrameReader reader = new FrameReader();
    byte[] first = frame(1);
    for (boolean exposed : new boolean[] {true, false}) {
      ByteBuffer a = reader.read(new Pieces(first, 7, exposed)); // splits inside the head too
      byte[] aBytes = bytes(a);
      assertArrayEquals(first, aBytes);
      FloatTensor t = ((ServerOutput) CODEC.decode(a)).output();
      assertNotNull(
          t.frameBytes(), "the values are aligned direct memory (exposed: " + exposed + ")");
      ByteBuffer b = reader.read(new Pieces(frame(100), 1000, exposed));
      assertArrayEquals(aBytes, bytes(a), "the next frame must not overwrite this one");
      assertArrayEquals(frame(100), bytes(b));
      reader.read(new Pieces(frame(-5), 333, exposed));
      assertFalse(Arrays.equals(aBytes, bytes(a)), "the third frame reuses the first one's memory");
    }
  }

  @Test
  void framesAboveTheReuseBoundGetMemoryOfTheirOwn() throws Exception {
    byte[] f = frame(1);
    FrameReader reader = new FrameReader(new FrameBuffers(f.length - 1));
    ByteBuffer first = reader.read(new Pieces(f, 500, true));
    reader.read(new Pieces(frame(2), 500, true));
    reader.read(new Pieces(frame(3), 500, true));
    assertArrayEquals(f, bytes(first), "not overwritten: the reader keeps no large buffer");
    assertNotNull(((ServerOutput) CODEC.decode(first)).output().frameBytes(), "still aligned");
  }

  @Test
  void aStreamShorterThanItsLengthFailsAndOneOfUnknownLengthIsCopied() throws Exception {
    byte[] f = frame(3);
    Pieces truncated = new Pieces(Arrays.copyOf(f, f.length - 10), 64, false);
    truncated.claimed = f.length;
    EOFException e = assertThrows(EOFException.class, () -> new FrameReader().read(truncated));
    assertEquals(
        "a frame of " + f.length + " bytes ended after " + (f.length - 10) + " bytes",
        e.getMessage());
    ByteBuffer copied = new FrameReader().read(new ByteArrayInputStream(f));
    assertArrayEquals(f, bytes(copied));
    assertNull(((ServerOutput) CODEC.decode(copied)).output().frameBytes(), "a heap copy");
  }

  private static byte[] bytes(ByteBuffer frame) {
    byte[] b = new byte[frame.remaining()];
    frame.duplicate().get(b);
    return b;
  }

  /** A message as gRPC hands it over: a known length, in buffers of {@code piece} bytes. */
  private static final class Pieces extends InputStream implements KnownLength, HasByteBuffer {
    private final Deque<ByteBuffer> buffers = new ArrayDeque<>();
    private final boolean exposed;
    int claimed = -1;

    Pieces(byte[] message, int piece, boolean exposed) {
      for (int at = 0; at < message.length; at += piece) {
        ByteBuffer b = ByteBuffer.allocateDirect(Math.min(piece, message.length - at));
        buffers.add(b.put(message, at, b.capacity()).flip());
      }
      this.exposed = exposed;
    }

    @Override
    public int available() {
      return claimed >= 0 ? claimed : buffers.stream().mapToInt(ByteBuffer::remaining).sum();
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : Byte.toUnsignedInt(one[0]);
    }

    @Override
    public int read(byte[] b, int off, int len) {
      while (!buffers.isEmpty() && !buffers.peek().hasRemaining()) {
        buffers.poll();
      }
      if (buffers.isEmpty()) {
        return -1;
      }
      int n = Math.min(len, buffers.peek().remaining());
      buffers.peek().get(b, off, n);
      return n;
    }

    @Override
    public long skip(long n) {
      long left = n;
      while (left > 0 && !buffers.isEmpty()) {
        ByteBuffer b = buffers.peek();
        int k = (int) Math.min(left, b.remaining());
        b.position(b.position() + k);
        left -= k;
        if (!b.hasRemaining()) {
          buffers.poll();
        }
      }
      return n - left;
    }

    @Override
    public boolean byteBufferSupported() {
      return exposed;
    }

    @Override
    public ByteBuffer getByteBuffer() {
      return buffers.isEmpty() ? null : buffers.peek().duplicate();
    }
  }
}
