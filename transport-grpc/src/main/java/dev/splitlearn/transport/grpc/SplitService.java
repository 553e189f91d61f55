package dev.splitlearn.transport.grpc;

import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The service on the wire: {@code splitlearn.v2.Split/Session}, a bidirectional stream of codec
 * frames. The frames are already a versioned binary format, so they travel as raw bytes (no
 * protobuf envelope, no extra copy); gRPC bounds their size before they are read. Each side sends
 * frames and receives gRPC's message streams, which it reads into its own reused memory with a
 * {@link FrameReader} while gRPC still holds them (during {@code onNext}).
 */
final class SplitService {
  static final String NAME = "splitlearn.v2.Split";

  private static final MethodDescriptor.Marshaller<ByteBuffer> FRAMES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(ByteBuffer frame) {
          return new FrameStream(frame.duplicate());
        }

        @Override
        public ByteBuffer parse(InputStream stream) {
          throw new UnsupportedOperationException("frames are received as streams (FrameReader)");
        }
      };

  /** A received message as gRPC's stream, valid until the observer's {@code onNext} returns. */
  private static final MethodDescriptor.Marshaller<InputStream> STREAMS =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(InputStream value) {
          return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
          return stream;
        }
      };

  /** The client's side of the method: frames out, replies in as streams. */
  static final MethodDescriptor<ByteBuffer, InputStream> CLIENT_SESSION = session(FRAMES, STREAMS);

  /** The server's side of the method: requests in as streams, frames out. */
  static final MethodDescriptor<InputStream, ByteBuffer> SERVER_SESSION = session(STREAMS, FRAMES);

  private static <Q, R> MethodDescriptor<Q, R> session(
      MethodDescriptor.Marshaller<Q> requests, MethodDescriptor.Marshaller<R> replies) {
    return MethodDescriptor.<Q, R>newBuilder()
        .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(NAME, "Session"))
        .setRequestMarshaller(requests)
        .setResponseMarshaller(replies)
        .build();
  }

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
