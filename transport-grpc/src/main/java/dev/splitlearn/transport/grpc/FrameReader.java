package dev.splitlearn.transport.grpc;

import dev.splitlearn.core.protocol.FrameBuffers;
import dev.splitlearn.core.protocol.MessageCodec;
import io.grpc.HasByteBuffer;
import io.grpc.KnownLength;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reads a received gRPC message (one codec frame) into reused direct memory, its cut tensor's
 * values on an aligned address, so that the decoder's views of them become engine arrays without a
 * further copy, as in process. One bulk copy out of gRPC's buffers where it exposes them (before, a
 * 1.7 MB frame went through {@code readAllBytes}: chunked copies, a merge and a new array, the
 * larger part of a loopback round trip's Java time). Frames above {@link FrameBuffers}'s bound get
 * memory of their own, so a peer that sends one maximal frame does not pin 2.5 times {@code
 * --max-message-mb} for as long as its session lasts. Not thread-safe: one reader per stream.
 */
final class FrameReader {
  private final FrameBuffers frames;
  private final byte[] chunk = new byte[64 << 10];

  FrameReader() {
    this(new FrameBuffers());
  }

  /** A reader into {@code frames}. */
  FrameReader(FrameBuffers frames) {
    this.frames = frames;
  }

  /**
   * The message in {@code in} as a frame, valid until the second frame read after it (see {@link
   * FrameBuffers}); a stream of unknown length is read into a new heap array.
   */
  ByteBuffer read(InputStream in) throws IOException {
    if (!(in instanceof KnownLength)) {
      return ByteBuffer.wrap(in.readAllBytes());
    }
    int size = in.available(); // the whole message: gRPC delivers it complete
    byte[] head = in.readNBytes(Math.min(size, MessageCodec.HEAD_BYTES));
    int valuesAt = MessageCodec.cutValuesOffset(ByteBuffer.wrap(head));
    ByteBuffer frame = frames.take(size, valuesAt).put(head);
    while (frame.hasRemaining()) {
      ByteBuffer exposed =
          in instanceof HasByteBuffer h && h.byteBufferSupported() ? h.getByteBuffer() : null;
      if (exposed != null && exposed.hasRemaining()) {
        int n = Math.min(exposed.remaining(), frame.remaining());
        frame.put(exposed.limit(exposed.position() + n));
        in.skipNBytes(n);
        continue;
      }
      int n = in.read(chunk, 0, Math.min(chunk.length, frame.remaining()));
      if (n < 0) {
        throw new EOFException(
            "a frame of " + size + " bytes ended after " + frame.position() + " bytes");
      }
      frame.put(chunk, 0, n);
    }
    return frame.flip();
  }
}
