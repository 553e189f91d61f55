package dev.splitlearn.core.train;

import java.util.Locale;

/** How many clients share the server. */
public enum Schedule {
  /** Classic split learning: clients take turns; client-side weights pass to the next client. */
  SEQUENTIAL,
  /** SplitFed: clients train in the same rounds; client-side weights are averaged every round. */
  PARALLEL;

  /** Parses {@code sequential} or {@code parallel}. */
  public static Schedule parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown schedule '" + s + "'; expected sequential or parallel");
    }
  }
}
