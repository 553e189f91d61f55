package dev.splitlearn.core.train;

import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.ServerEndpoint;

/** Measures the time a server spends handling requests. */
final class TimedEndpoint implements ServerEndpoint {
  private final ServerEndpoint inner;
  private long nanos;

  TimedEndpoint(ServerEndpoint inner) {
    this.inner = inner;
  }

  @Override
  public Message handle(Message request) {
    long t0 = System.nanoTime();
    try {
      return inner.handle(request);
    } finally {
      nanos += System.nanoTime() - t0;
    }
  }

  double seconds() {
    return nanos / 1e9;
  }
}
