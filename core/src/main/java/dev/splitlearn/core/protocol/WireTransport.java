package dev.splitlearn.core.protocol;

import java.io.IOException;

/**
 * A client's {@link Transport} over any byte link: encodes requests with the session's codec,
 * counts bytes, decodes replies and turns an {@link Message.ErrorReply} into a {@link
 * RemoteException}. Not thread-safe: one client drives one instance.
 */
public class WireTransport implements Transport {
  /**
   * Carries one encoded request to the server and brings back the encoded reply. The request
   * frame's memory is reused for the second request after it, and the values it defers (see {@link
   * Frame}) are freed once the client's step is over (see {@link WireEndpoint.Connection#handle});
   * the reply must stay valid until the next request is sent (the cut tensors decoded from it are
   * views).
   */
  public interface Link extends AutoCloseable {
    Frame roundTrip(Frame request) throws IOException;

    @Override
    void close() throws IOException;
  }

  private final Link link;
  private final MessageCodec codec;
  private final Traffic traffic = new Traffic();
  private final FrameBuffers requests = new FrameBuffers();

  /** A transport over {@code link} that writes cut tensors as {@code codec} says. */
  public WireTransport(Link link, MessageCodec codec) {
    this.link = link;
    this.codec = codec;
  }

  @Override
  public Message exchange(Message request) throws IOException {
    Frame up = codec.encode(request, requests);
    traffic.up(up.size());
    Frame down = link.roundTrip(up);
    traffic.down(down.size());
    Message reply = codec.decode(down);
    if (reply instanceof Message.ErrorReply e) {
      throw new RemoteException(e.code(), e.text());
    }
    return reply;
  }

  @Override
  public Traffic traffic() {
    return traffic;
  }

  @Override
  public void close() throws IOException {
    link.close();
  }
}
