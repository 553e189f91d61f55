package dev.splitlearn.core.protocol;

import java.util.Locale;

/** How many clients share the server. */
public enum Schedule {
  /** Classic split learning: clients take turns; client-side weights pass to the next client. */
  SEQUENTIAL,
  /** SplitFed: clients train in the same rounds; client-side weights are averaged every round. */
  PARALLEL;

  /** The lower-case name used on the command line and in the handshake. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code sequential} or {@code parallel}. */
  public static Schedule parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown schedule '" + s + "'; expected sequential or parallel");
    }
  }
}
