package dev.splitlearn.core.server;

import java.io.IOException;

/**
 * Hears what the server runtime does: for metrics, logs, timing, traffic and checkpoints, which are
 * listeners themselves ({@link ServerTiming}, {@link ServerTraffic}, {@link ServerCheckpoints});
 * {@link ServerListeners#of} composes several. Per request of an open session: {@link #stepDone}
 * (if the request completed a training step), then {@link #requestDone}. At each epoch's barrier,
 * once, before any client is released: {@link #checkpointDue}, then {@link #epochEnd}. Called on
 * the threads serving the sessions (the barrier's events under the schedule's lock): return quickly
 * and do not throw, except a checkpoint that fails.
 */
public interface ServerListener {
  /** A client's session passed the handshake. */
  default void sessionOpened(int clientId) {}

  /** A client's session ended (left, failed or dropped). */
  default void sessionClosed(int clientId, long steps) {}

  /**
   * A training step of {@code clientId} completed; {@code computeNanos} the server's compute in it.
   */
  default void stepDone(int clientId, long computeNanos) {}

  /**
   * A request of {@code clientId}'s session was answered.
   *
   * @param bytesIn the request's bytes; 0 for the handshake's Hello, which arrives before the
   *     session exists and is not counted as its traffic
   * @param bytesOut the reply's bytes
   * @param busyNanos the server's time on the request, waits at barriers, turns and admission
   *     excluded
   */
  default void requestDone(int clientId, long bytesIn, long bytesOut, long busyNanos) {}

  /**
   * Every client has finished {@code checkpoint.epoch()}: the moment to save the server's state.
   *
   * @throws IOException if saving fails (the clients at the barrier get an INTERNAL error)
   */
  default void checkpointDue(ServerCheckpoint checkpoint) throws IOException {}

  /** Every client has finished {@code epoch} of {@code epochs}. */
  default void epochEnd(int epoch, int epochs) {}

  /** A listener that does nothing. */
  ServerListener NONE = new ServerListener() {};
}
