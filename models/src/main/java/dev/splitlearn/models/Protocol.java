package dev.splitlearn.models;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a model is cut between client and server. */
public enum Protocol {
  /** One cut: the client runs the extractor, the server runs the rest and sees the labels. */
  VANILLA("vanilla", 1),
  /** Two cuts: the client keeps the first and the last layers; labels never leave the client. */
  U_SHAPED("u-shaped", 2);

  private final String cliName;
  private final int cuts;

  Protocol(String cliName, int cuts) {
    this.cliName = cliName;
    this.cuts = cuts;
  }

  /** The name used on the command line and in results files. */
  public String cliName() {
    return cliName;
  }

  /** How many cut points this protocol needs. */
  public int cuts() {
    return cuts;
  }

  /** Parses a command-line name such as {@code u-shaped}; throws naming the valid choices. */
  public static Protocol parse(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
    for (Protocol p : values()) {
      if (p.cliName.equals(n)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown protocol '"
            + name
            + "'; expected one of "
            + Arrays.stream(values()).map(Protocol::cliName).collect(Collectors.joining(", ")));
  }
}
