package dev.splitlearn.core.protocol;

import java.util.concurrent.atomic.AtomicLong;

/** Thread-safe byte and message counters of one client's link, each direction. */
public final class Traffic {
  private final AtomicLong bytesUp = new AtomicLong();
  private final AtomicLong bytesDown = new AtomicLong();
  private final AtomicLong messagesUp = new AtomicLong();
  private final AtomicLong messagesDown = new AtomicLong();

  /** Records a message of {@code bytes} from client to server. */
  public void up(long bytes) {
    bytesUp.addAndGet(bytes);
    messagesUp.incrementAndGet();
  }

  /** Records a message of {@code bytes} from server to client. */
  public void down(long bytes) {
    bytesDown.addAndGet(bytes);
    messagesDown.incrementAndGet();
  }

  /** Bytes sent client to server. */
  public long bytesClientToServer() {
    return bytesUp.get();
  }

  /** Bytes sent server to client. */
  public long bytesServerToClient() {
    return bytesDown.get();
  }

  /** Messages sent client to server. */
  public long messagesClientToServer() {
    return messagesUp.get();
  }

  /** Messages sent server to client. */
  public long messagesServerToClient() {
    return messagesDown.get();
  }
}
