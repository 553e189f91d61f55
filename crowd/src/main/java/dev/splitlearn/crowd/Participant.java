package dev.splitlearn.crowd;

import dev.splitlearn.data.Dataset;

/**
 * A device selected for a round, with its samples and its fate.
 *
 * @param device the device
 * @param data its training samples
 * @param dropBefore the work unit (local step, or the upload after the last step) before which it
 *     leaves, or -1 if it stays for the whole round
 */
public record Participant(DeviceProfile device, Dataset data, int dropBefore) {
  /** The device's id. */
  public int id() {
    return device.id();
  }

  /** Whether the device leaves before work unit {@code unit}. */
  public boolean dropsBefore(int unit) {
    return dropBefore == unit;
  }
}
