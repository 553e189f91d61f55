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
 * larger part of a loopback round trip's Java time). Only frames up to a bound reuse the reader's
 * memory: a larger one (weights, a big model's cut) gets memory of its own, freed with it, so that
 * an idle session holds at most about 2.5 times the bound (a peer sending one maximal frame would
 * otherwise pin 2.5 times {@code --max-message-mb} for as long as its session lasts). Not
 * thread-safe: one reader per stream.
 */
final class FrameReader {
  /** Largest frame read into reused memory: 8 MiB (mnist-cnn's cut tensors are 1.7 MB). */
  static final int REUSED_MAX = 8 << 20;

  private final FrameBuffers frames = new FrameBuffers();
  private final int reusedMax;
  private final byte[] chunk = new byte[64 << 10];

  FrameReader() {
    this(REUSED_MAX);
  }

  /** A reader that reuses its memory for frames of at most {@code reusedMax} bytes. */
  FrameReader(int reusedMax) {
    this.reusedMax = reusedMax;
  }

  /**
   * The message in {@code in} as a frame, valid until the second frame read after it (see {@link
   * FrameBuffers}), or as long as it is referenced if it is larger than the reuse bound; a stream
   * of unknown length is read into a new heap array.
   */
  ByteBuffer read(InputStream in) throws IOException {
    if (!(in instanceof KnownLength)) {
      return ByteBuffer.wrap(in.readAllBytes());
    }
    int size = in.available(); // the whole message: gRPC delivers it complete
    byte[] head = in.readNBytes(Math.min(size, MessageCodec.HEAD_BYTES));
    int valuesAt = MessageCodec.cutValuesOffset(ByteBuffer.wrap(head));
    ByteBuffer frame =
        (size <= reusedMax ? frames : new FrameBuffers()).take(size, valuesAt).put(head);
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
