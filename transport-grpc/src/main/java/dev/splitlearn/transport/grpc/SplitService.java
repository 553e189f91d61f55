package dev.splitlearn.transport.grpc;

import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The service on the wire: {@code splitlearn.v2.Split/Session}, a bidirectional stream of codec
 * frames. The frames are already a versioned binary format, so they travel as raw bytes (no
 * protobuf envelope, no extra copy); gRPC bounds their size before they are read.
 */
final class SplitService {
  static final String NAME = "splitlearn.v2.Split";

  static final MethodDescriptor.Marshaller<ByteBuffer> FRAMES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(ByteBuffer frame) {
          return new FrameStream(frame.duplicate());
        }

        @Override
        public ByteBuffer parse(InputStream stream) {
          try {
            return ByteBuffer.wrap(stream.readAllBytes());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  static final MethodDescriptor<ByteBuffer, ByteBuffer> SESSION =
      MethodDescriptor.<ByteBuffer, ByteBuffer>newBuilder()
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(NAME, "Session"))
          .setRequestMarshaller(FRAMES)
          .setResponseMarshaller(FRAMES)
          .build();

  /**
   * A frame's bytes as gRPC reads them: straight from the frame's memory into gRPC's buffers (gRPC
   * copies a message out while it is being sent, before the frame's memory can be reused).
   */
  private static final class FrameStream extends InputStream implements KnownLength {
    private final ByteBuffer frame;

    FrameStream(ByteBuffer frame) {
      this.frame = frame;
    }

    @Override
    public int read() {
      return frame.hasRemaining() ? Byte.toUnsignedInt(frame.get()) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (!frame.hasRemaining()) {
        return -1;
      }
      int n = Math.min(len, frame.remaining());
      frame.get(b, off, n);
      return n;
    }

    @Override
    public int available() {
      return frame.remaining();
    }
  }

  private SplitService() {}
}
