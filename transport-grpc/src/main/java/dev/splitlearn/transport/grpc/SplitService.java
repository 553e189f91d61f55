package dev.splitlearn.transport.grpc;

import dev.splitlearn.core.protocol.Frame;
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

  private static final MethodDescriptor.Marshaller<Frame> FRAMES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(Frame frame) {
          return new FrameStream(frame.segments());
        }

        @Override
        public Frame parse(InputStream stream) {
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
  static final MethodDescriptor<Frame, InputStream> CLIENT_SESSION = session(FRAMES, STREAMS);

  /** The server's side of the method: requests in as streams, frames out. */
  static final MethodDescriptor<InputStream, Frame> SERVER_SESSION = session(STREAMS, FRAMES);

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
   * A frame's bytes as gRPC reads them: straight from the frame's memory, and from the sender's for
   * values the frame defers, into gRPC's buffers (gRPC copies a message out while it is being sent,
   * before either memory can be reused or freed).
   */
  private static final class FrameStream extends InputStream implements KnownLength {
    private final ByteBuffer[] segments;
    private int at; // the segment being read

    FrameStream(ByteBuffer[] segments) {
      this.segments = segments;
    }

    private ByteBuffer current() {
      while (at < segments.length && !segments[at].hasRemaining()) {
        at++;
      }
      return at < segments.length ? segments[at] : null;
    }

    @Override
    public int read() {
      ByteBuffer s = current();
      return s == null ? -1 : Byte.toUnsignedInt(s.get());
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      ByteBuffer s = current();
      if (s == null) {
        return -1;
      }
      int n = Math.min(len, s.remaining());
      s.get(b, off, n);
      return n;
    }

    @Override
    public int available() {
      int n = 0;
      for (int i = at; i < segments.length; i++) {
        n += segments[i].remaining();
      }
      return n;
    }
  }

  private SplitService() {}
}
