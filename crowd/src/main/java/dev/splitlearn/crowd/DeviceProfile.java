package dev.splitlearn.crowd;

/**
 * What one simulated device can do, and what it costs in simulated time. Immutable.
 *
 * @param id device index in {@code [0, devices)}
 * @param flops compute speed in FLOP/s, &gt; 0
 * @param uplinkBps device-to-server bandwidth in bit/s, &gt; 0
 * @param downlinkBps server-to-device bandwidth in bit/s, &gt; 0
 * @param latencySeconds one-way latency added to every transfer, &gt;= 0
 * @param dropout probability that the device leaves during a round it was selected for, in [0, 1]
 */
public record DeviceProfile(
    int id,
    double flops,
    double uplinkBps,
    double downlinkBps,
    double latencySeconds,
    double dropout) {

  public DeviceProfile {
    if (!(flops > 0)
        || !(uplinkBps > 0)
        || !(downlinkBps > 0)
        || !(latencySeconds >= 0)
        || !(dropout >= 0 && dropout <= 1)) {
      throw new IllegalArgumentException(
          "device "
              + id
              + ": flops and bandwidths must be > 0, latency >= 0 and"
              + " dropout in [0, 1], got "
              + this);
    }
  }

  /** Seconds to send {@code bytes} to the server: latency plus bytes over the uplink. */
  public double uploadSeconds(long bytes) {
    return latencySeconds + bytes * 8.0 / uplinkBps;
  }

  /** Seconds to receive {@code bytes} from the server: latency plus bytes over the downlink. */
  public double downloadSeconds(long bytes) {
    return latencySeconds + bytes * 8.0 / downlinkBps;
  }

  /** Seconds to compute {@code flops} floating-point operations. */
  public double computeSeconds(double work) {
    return work / flops;
  }
}
