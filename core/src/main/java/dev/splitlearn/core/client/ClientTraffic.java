package dev.splitlearn.core.client;

/**
 * Counts the bytes a client moves while training, per epoch and in all, from the runtime's step and
 * weight-exchange events (the transport's counts, after compression; evaluation traffic is not
 * training traffic and is left out). One instance per client runtime; not thread-safe.
 */
public final class ClientTraffic implements ClientListener {
  private long up;
  private long down;
  private long totalUp;
  private long totalDown;

  @Override
  public void onEpochStart(int client, int epoch, int steps) {
    up = 0;
    down = 0;
  }

  @Override
  public void onStep(ClientStep step) {
    add(step.bytesUp(), step.bytesDown());
  }

  @Override
  public void onWeightExchange(int client, int epoch, long nanos, long bytesUp, long bytesDown) {
    add(bytesUp, bytesDown);
  }

  private void add(long bytesUp, long bytesDown) {
    up += bytesUp;
    down += bytesDown;
    totalUp += bytesUp;
    totalDown += bytesDown;
  }

  /** Bytes sent while training the epoch in progress (or the last one). */
  public long bytesUp() {
    return up;
  }

  /** Bytes received while training the epoch in progress (or the last one). */
  public long bytesDown() {
    return down;
  }

  /** Bytes sent while training, every epoch of this runtime. */
  public long totalBytesUp() {
    return totalUp;
  }

  /** Bytes received while training, every epoch of this runtime. */
  public long totalBytesDown() {
    return totalDown;
  }
}
