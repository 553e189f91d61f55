package dev.splitlearn.core.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size of this process, read from /proc (Linux); -1 elsewhere. */
public final class Memory {
  private Memory() {}

  public static long rssMegabytes() {
    return status("VmRSS:");
  }

  /** Peak resident set size of this process so far (VmHWM), in MB; -1 where unknown. */
  public static long peakRssMegabytes() {
    return status("VmHWM:");
  }

  private static long status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
