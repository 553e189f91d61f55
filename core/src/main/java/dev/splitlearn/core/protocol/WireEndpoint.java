package dev.splitlearn.core.protocol;

import java.nio.ByteBuffer;
import java.util.OptionalInt;

/**
 * The server end of the wire: encoded requests in, encoded replies out. Every failure, including a
 * request that cannot be decoded, comes back as an encoded {@link Message.ErrorReply}, so every
 * transport fails the same way. A transport opens one {@link Connection} per client session.
 */
public interface WireEndpoint {
  /**
   * Opens a connection for one client session; its first request must be a {@link Message.Hello}.
   *
   * @param peer who is connecting, for logs (an address, or {@code in-process})
   * @param authenticatedClient the client id the transport authenticated the peer as (a token), or
   *     empty when the transport does not authenticate; the session may only be that client's
   */
  Connection connect(String peer, OptionalInt authenticatedClient);

  /** A connection of a peer the transport did not authenticate. */
  default Connection connect(String peer) {
    return connect(peer, OptionalInt.empty());
  }

  /** One client's session on the server. Requests on a connection are handled one at a time. */
  interface Connection extends AutoCloseable {
    /**
     * Handles one encoded request (its remaining bytes) and returns the encoded reply (never throws
     * for bad input). The request must stay valid until the second request after it arrives (a
     * step's engine arrays may be views of it, see {@link FrameBuffers}); the reply is valid until
     * the second reply after it is made.
     */
    ByteBuffer handle(ByteBuffer request);

    /** Ends the session (the client left or the link broke). */
    @Override
    void close();
  }
}
