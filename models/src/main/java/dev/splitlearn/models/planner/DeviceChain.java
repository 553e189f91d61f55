package dev.splitlearn.models.planner;

import java.util.List;

/**
 * A chain of devices a sample's activations pass through, the data holder first and the server
 * last, each pair of neighbours joined by a link.
 *
 * @param devices two or more, the first holds the data, the last is the server
 * @param links {@code devices.size() - 1} links, link i joining device i and device i + 1
 */
public record DeviceChain(List<Device> devices, List<Link> links) {
  /**
   * One device.
   *
   * @param name for reports
   * @param flopsPerSecond sustained FLOP/s
   * @param memoryBytes the memory it may use for its stages (infinite: no bound)
   * @param maxTrainFlops the most training FLOPs per sample it affords (infinite: no bound)
   */
  public record Device(
      String name, double flopsPerSecond, double memoryBytes, double maxTrainFlops) {
    public Device {
      if (!(flopsPerSecond > 0) || Double.isInfinite(flopsPerSecond)) {
        throw new IllegalArgumentException(
            "device " + name + ": FLOP/s must be > 0, got " + flopsPerSecond);
      }
      if (!(memoryBytes >= 0) || !(maxTrainFlops >= 0)) {
        throw new IllegalArgumentException(
            "device "
                + name
                + ": budgets must be >= 0, got memory "
                + memoryBytes
                + " bytes, "
                + maxTrainFlops
                + " FLOPs");
      }
    }
  }

  /**
   * A link, the same both ways.
   *
   * @param bitsPerSecond bandwidth
   * @param latencySeconds one-way delay of a message
   */
  public record Link(double bitsPerSecond, double latencySeconds) {
    public Link {
      if (!(bitsPerSecond > 0) || !(latencySeconds >= 0) || Double.isInfinite(latencySeconds)) {
        throw new IllegalArgumentException(
            "a link needs bandwidth > 0 and latency >= 0, got "
                + bitsPerSecond
                + " bit/s, "
                + latencySeconds
                + " s");
      }
    }
  }

  public DeviceChain {
    devices = List.copyOf(devices);
    links = List.copyOf(links);
    if (devices.size() < 2) {
      throw new IllegalArgumentException(
          "a chain needs at least two devices (the data holder and the server), got "
              + devices.size());
    }
    if (links.size() != devices.size() - 1) {
      throw new IllegalArgumentException(
          "a chain of "
              + devices.size()
              + " devices needs "
              + (devices.size() - 1)
              + " links, got "
              + links.size());
    }
  }
}
