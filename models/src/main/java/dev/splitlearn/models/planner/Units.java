package dev.splitlearn.models.planner;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Link rates and delays as people write them ({@code 10mbit}, {@code 1gbit}, {@code 20ms}), the way
 * Linux {@code tc} spells them: rates in bits per second with decimal prefixes (k = 1000), because
 * link speeds are quoted that way; {@code mbps} is refused as ambiguous (tc reads it as megabytes).
 */
public final class Units {
  private static final Pattern NUMBER_UNIT =
      Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\\s*" + "([a-zA-Z]*)\\s*");

  private Units() {}

  /**
   * Parses a rate: a positive number and one of {@code bit, kbit, mbit, gbit} (per second).
   *
   * @param flag the option or key named in errors, e.g. {@code --bandwidth}
   * @return bits per second, finite and &gt; 0
   * @throws IllegalArgumentException naming {@code flag} and the value when the text is not such a
   *     rate
   */
  public static double bitsPerSecond(String flag, String text) {
    Matcher m =
        match(flag, text, "a rate like 10mbit or 1gbit (units bit, kbit, mbit, gbit per second)");
    double scale =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "bit" -> 1;
          case "kbit" -> 1e3;
          case "mbit" -> 1e6;
          case "gbit" -> 1e9;
          default ->
              throw new IllegalArgumentException(
                  flag
                      + " must be a rate like 10mbit or 1gbit (units bit, kbit, "
                      + "mbit, gbit per second), got '"
                      + text
                      + "'");
        };
    double v = Double.parseDouble(m.group(1)) * scale;
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(flag + " must be > 0, got '" + text + "'");
    }
    return v;
  }

  /**
   * Parses a delay: a number &gt;= 0 and one of {@code us, ms, s}.
   *
   * @param flag the option or key named in errors, e.g. {@code --latency}
   * @return seconds, finite and &gt;= 0
   * @throws IllegalArgumentException naming {@code flag} and the value when the text is not such a
   *     delay
   */
  public static double seconds(String flag, String text) {
    Matcher m = match(flag, text, "a delay like 20ms or 1s (units us, ms, s)");
    double scale =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "us" -> 1e-6;
          case "ms" -> 1e-3;
          case "s" -> 1;
          default ->
              throw new IllegalArgumentException(
                  flag + " must be a delay like 20ms or 1s (units us, ms, s), got '" + text + "'");
        };
    double v = Double.parseDouble(m.group(1)) * scale;
    if (Double.isInfinite(v)) {
      throw new IllegalArgumentException(flag + " is too large, got '" + text + "'");
    }
    return v;
  }

  private static Matcher match(String flag, String text, String form) {
    Matcher m = text == null ? null : NUMBER_UNIT.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(flag + " must be " + form + ", got '" + text + "'");
    }
    return m;
  }

  /** A rate for people: {@code 10 Mbit/s}. */
  public static String rate(double bitsPerSecond) {
    String[] names = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s"};
    int i = 0;
    double v = bitsPerSecond;
    while (v >= 1000 && i < names.length - 1) {
      v /= 1000;
      i++;
    }
    return String.format(Locale.ROOT, "%.4g %s", v, names[i]).replaceFirst("\\.?0+ ", " ");
  }
}
