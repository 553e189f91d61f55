package dev.splitlearn.core.server;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Times the server's work per client: every request's busy time (waits at barriers, turns and
 * admission excluded) and the compute of its training steps, summed over the client's sessions.
 * Thread-safe, lock-free. Counts clients {@code 0 .. clients-1}; others are ignored.
 */
public final class ServerTiming implements ServerListener {
  private final AtomicLongArray busy;
  private final AtomicLongArray stepNanos;
  private final AtomicLongArray steps;

  /** Clocks for {@code clients} clients. */
  public ServerTiming(int clients) {
    if (clients < 1) {
      throw new IllegalArgumentException("clients must be >= 1, got " + clients);
    }
    busy = new AtomicLongArray(clients);
    stepNanos = new AtomicLongArray(clients);
    steps = new AtomicLongArray(clients);
  }

  @Override
  public void requestDone(int clientId, long bytesIn, long bytesOut, long busyNanos) {
    if (clientId >= 0 && clientId < busy.length()) {
      busy.addAndGet(clientId, busyNanos);
    }
  }

  @Override
  public void stepDone(int clientId, long computeNanos) {
    if (clientId >= 0 && clientId < busy.length()) {
      stepNanos.addAndGet(clientId, computeNanos);
      steps.incrementAndGet(clientId);
    }
  }

  /** Seconds the server spent on {@code clientId}'s requests. */
  public double busySeconds(int clientId) {
    return busy.get(clientId) / 1e9;
  }

  /** Mean server compute of one of {@code clientId}'s training steps, NaN before the first. */
  public double meanStepSeconds(int clientId) {
    long n = steps.get(clientId);
    return n == 0 ? Double.NaN : stepNanos.get(clientId) / 1e9 / n;
  }
}
