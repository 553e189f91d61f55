package dev.splitlearn.core.server;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts the bytes and messages of every client's sessions, as the server sees them (the frames
 * after compression; the handshake's Hello is not counted), summed over a client's sessions if it
 * dropped out and rejoined. Thread-safe, lock-free. Counts clients {@code 0 .. clients-1}; others
 * are ignored.
 */
public final class ServerTraffic implements ServerListener {
  private final AtomicLongArray received;
  private final AtomicLongArray sent;
  private final AtomicLongArray messagesReceived;

  /** Counters for {@code clients} clients. */
  public ServerTraffic(int clients) {
    if (clients < 1) {
      throw new IllegalArgumentException("clients must be >= 1, got " + clients);
    }
    received = new AtomicLongArray(clients);
    sent = new AtomicLongArray(clients);
    messagesReceived = new AtomicLongArray(clients);
  }

  @Override
  public void requestDone(int clientId, long bytesIn, long bytesOut, long busyNanos) {
    if (clientId < 0 || clientId >= sent.length()) {
      return;
    }
    if (bytesIn > 0) {
      received.addAndGet(clientId, bytesIn);
      messagesReceived.incrementAndGet(clientId);
    }
    sent.addAndGet(clientId, bytesOut);
  }

  /** Bytes received from {@code clientId}. */
  public long bytesReceived(int clientId) {
    return received.get(clientId);
  }

  /** Bytes sent to {@code clientId}. */
  public long bytesSent(int clientId) {
    return sent.get(clientId);
  }

  /** Messages received from {@code clientId}. */
  public long messagesReceived(int clientId) {
    return messagesReceived.get(clientId);
  }
}
