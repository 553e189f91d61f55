package dev.splitlearn.core.server;

/**
 * Hears what the server runtime does, for metrics and logs. Called on the threads serving the
 * sessions: return quickly and do not throw.
 */
public interface ServerListener {
  /** A client's session passed the handshake. */
  default void sessionOpened(int clientId) {}

  /** A client's session ended (left, failed or dropped). */
  default void sessionClosed(int clientId, long steps) {}

  /** A training step of {@code clientId} completed; {@code computeNanos} the server's compute in it. */
  default void stepDone(int clientId, long computeNanos) {}
}
