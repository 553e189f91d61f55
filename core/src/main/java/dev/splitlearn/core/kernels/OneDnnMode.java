package dev.splitlearn.core.kernels;

import java.util.Locale;

/**
 * Whether the engine may use oneDNN: {@code auto} (on, unless the kernel self-test finds its
 * results wrong on this machine), {@code on} (always, even when wrong: for diagnosis) or {@code
 * off}.
 */
public enum OneDnnMode {
  AUTO,
  ON,
  OFF;

  /** System property that sets the mode for library users. */
  public static final String PROPERTY = "splitlearn.onednn";

  /** Environment variable that sets the mode when the property is absent. */
  public static final String ENV = "SPLITLEARN_ONEDNN";

  /**
   * Parses {@code auto}, {@code on} or {@code off}.
   *
   * @param source what the value came from, for the error message (a flag, property or variable)
   * @throws IllegalArgumentException for any other value
   */
  public static OneDnnMode parse(String value, String source) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          source + ": unknown oneDNN mode '" + value + "' (auto, on, off)");
    }
  }

  /** The mode set by {@value #PROPERTY} or {@value #ENV}, else {@code AUTO}. */
  public static OneDnnMode fromEnvironment() {
    String p = System.getProperty(PROPERTY);
    if (p != null && !p.isBlank()) {
      return parse(p, "system property " + PROPERTY);
    }
    String e = System.getenv(ENV);
    if (e != null && !e.isBlank()) {
      return parse(e, "environment variable " + ENV);
    }
    return AUTO;
  }

  /** The lower-case name used on the command line. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
