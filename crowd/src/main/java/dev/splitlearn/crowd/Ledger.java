package dev.splitlearn.crowd;

/**
 * What a schedule has spent and done so far: bytes each way (counted when a transfer completes; a
 * device that leaves mid-transfer has sent nothing), device dropouts, and updates applied to the
 * global model.
 */
public final class Ledger {
  private long bytesUp;
  private long bytesDown;
  private int dropouts;
  private int updatesApplied;

  /** Counts a completed device-to-server transfer. */
  public void up(long bytes) {
    bytesUp += bytes;
  }

  /** Counts a completed server-to-device transfer. */
  public void down(long bytes) {
    bytesDown += bytes;
  }

  /** Counts a device that left during a round. */
  public void dropout() {
    dropouts++;
  }

  /** Counts a device's update that went into the global model. */
  public void applied() {
    updatesApplied++;
  }

  /** Device-to-server bytes so far. */
  public long bytesUp() {
    return bytesUp;
  }

  /** Server-to-device bytes so far. */
  public long bytesDown() {
    return bytesDown;
  }

  /** Dropped device-rounds so far. */
  public int dropouts() {
    return dropouts;
  }

  /** Device updates applied so far. */
  public int updatesApplied() {
    return updatesApplied;
  }
}
