package dev.splitlearn.core.protocol;

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

  /**
   * Whether a transport may handle this endpoint's requests on its network threads rather than hand
   * each one to a worker thread: true only when no request waits for another connection's (a
   * barrier, a turn, another client's step) and none takes long (a network thread blocked for
   * minutes starves its connections' keep-alive). Saves a thread hand-over each way per request.
   */
  default boolean handlesOnNetworkThreads() {
    return false;
  }

  /** A connection of a peer the transport did not authenticate. */
  default Connection connect(String peer) {
    return connect(peer, OptionalInt.empty());
  }

  /** One client's session on the server. Requests on a connection are handled one at a time. */
  interface Connection extends AutoCloseable {
    /**
     * Handles one encoded request and returns the encoded reply (never throws for bad input). The
     * request, and the values it defers ({@link Frame}), must stay valid until its reply is made,
     * and a U-shaped step's forward request until the reply to its gradient (the server's engine
     * arrays view it in between, see {@link FrameBuffers}). The reply, and the values it defers,
     * stay valid until the next reply is made.
     */
    Frame handle(Frame request);

    /** Ends the session (the client left or the link broke). */
    @Override
    void close();
  }
}
