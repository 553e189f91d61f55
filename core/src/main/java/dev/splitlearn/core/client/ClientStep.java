package dev.splitlearn.core.client;

/**
 * One finished training step as {@link ClientListener#onStep} sees it. The runtime fills and reuses
 * one instance per client (no allocation per step): valid only during the call.
 */
public final class ClientStep {
  private int client;
  private int epoch;
  private long done;
  private long total;
  private float loss;
  private long nanos;
  private long bytesUp;
  private long bytesDown;

  ClientStep() {}

  void set(
      int client,
      int epoch,
      long done,
      long total,
      float loss,
      long nanos,
      long bytesUp,
      long bytesDown) {
    this.client = client;
    this.epoch = epoch;
    this.done = done;
    this.total = total;
    this.loss = loss;
    this.nanos = nanos;
    this.bytesUp = bytesUp;
    this.bytesDown = bytesDown;
  }

  /** The client's id. */
  public int client() {
    return client;
  }

  /** The epoch, 1-based. */
  public int epoch() {
    return epoch;
  }

  /** Steps of this client's epoch done, this one included (1-based). */
  public long done() {
    return done;
  }

  /** Steps of this client's epoch in all. */
  public long total() {
    return total;
  }

  /** The batch loss. */
  public float loss() {
    return loss;
  }

  /**
   * Wall time of the step: load, forward, the server's part (and any wait for its turn), backward,
   * update.
   */
  public long nanos() {
    return nanos;
  }

  /** Bytes the client sent in the step (after compression). */
  public long bytesUp() {
    return bytesUp;
  }

  /** Bytes the client received in the step. */
  public long bytesDown() {
    return bytesDown;
  }

  @Override
  public String toString() {
    return "client "
        + client
        + " epoch "
        + epoch
        + " step "
        + done
        + "/"
        + total
        + " loss "
        + loss
        + " ("
        + nanos / 1000
        + " us, "
        + bytesUp
        + " B up, "
        + bytesDown
        + " B down)";
  }
}
